-- Data-quality metrics of the production table, one row appended per run.
{{ config(materialized='incremental') }}

select
    '{{ invocation_id }}' as invocation_id,
    current_timestamp as measured_at,
    count(*) as row_count,
    round(avg(churn_flag), 4) as churn_rate,
    round(avg(monthly_charges), 2) as avg_monthly_charges,
    round(avg(tenure), 2) as avg_tenure
from {{ ref('customer_churn') }}
