-- Production has exactly the customers staging has, and this run's metrics row says so.
with counts as (
    select
        (select count(*) from {{ source('staging', 'telco_churn') }}) as staging_rows,
        (select count(*) from {{ ref('customer_churn') }}) as production_rows,
        (select row_count from {{ ref('dq_metrics') }} where invocation_id = '{{ invocation_id }}') as measured_rows
)
select * from counts
where staging_rows <> production_rows or measured_rows is distinct from staging_rows
