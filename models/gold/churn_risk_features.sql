-- Features per customer for the churn-risk model: how often and how badly their complaints went.
{# Incremental by customer: a run recomputes the customers of the complaints changed since the last run
    and the customers whose current version in dim_customers is new, and replaces their rows (delete+insert
    on customer_id: the touched customers are spread over the whole table, where DuckDB updates in place
    cost more than deleting and appending). A customer removed from the CRM export keeps its row until a
    --full-refresh. -#}
{{ config(materialized='incremental', unique_key='customer_id', on_schema_change='append_new_columns') }}
{#- complaint_events and complaints are read only by incremental runs, which the parse does not see (as in dbt): -#}
-- depends_on: {{ ref('complaint_events') }}, {{ ref('complaints') }}

{% if is_incremental() %}
{{ touched_keys('customer_id', ref('complaints'), ref('complaint_events'), ref('dim_customers'), 'customer_valid_from') }}
{% endif %}

select
    d.customer_id,
    d.plan,
    d.region,
    d.plan in ('business', 'postpaid_plus') as is_premium,
    coalesce(f.complaints, 0) as complaints,
    coalesce(f.open_complaints, 0) as open_complaints,
    coalesce(f.sla_breaches, 0) as sla_breaches,
    f.avg_resolution_hours,
    f.last_complaint_at,
    coalesce(f.channels_used, 0) as channels_used,
    f.last_changed_at,
    d.dbt_valid_from as customer_valid_from
from (
    select * from {{ ref('dim_customers') }}
    {#- The touched customers first: filtered after the join, every customer would be joined. #}
    where dbt_valid_to is null
    {% if is_incremental() %}and customer_id in (select customer_id from touched){% endif %}
) as d
{#- Complaints aggregated by customer before the join: grouping by the integer key alone costs less than
    grouping the joined rows by the customer's columns. #}
left join (
    select
        customer_id,
        {# Rows, not complaint_id values (one row per complaint, never null): the text column is not read. -#}
        count(*) as complaints,
        {#- Open: not resolved, i.e. without resolution hours (null exactly when entered_resolved_at is: every
            complaint has an opening time). One column fewer to read from every fact of the touched customers. #}
        count(*) - count(resolution_hours) as open_complaints,
        {#- A count (BIGINT, INT64): DuckDB's sum of integers is a HUGEINT, slow to sum again and to store. #}
        count(case when sla_breached then 1 end) as sla_breaches,
        {{ round_average('resolution_hours', 2) }} as avg_resolution_hours,
        max(opened_at) as last_complaint_at,
        {# The channels used, counted as one flag per channel (the three complaint_events conforms): cheaper
            than a distinct count, which keeps a set of values per customer. -#}
        cast(
            {%- for channel in ['web', 'call_center', 'social'] %} max(case when channel = '{{ channel }}' then 1 else 0 end){% if not loop.last %} +{% endif %}
            {%- endfor %} as {{ dbt.type_bigint() }}) as channels_used,
        max(last_changed_at) as last_changed_at
    from {{ ref('fct_complaints') }}
    {#- Only the touched customers' complaints are read, not every complaint. #}
    {% if is_incremental() %}where customer_id in (select customer_id from touched){% endif %}
    group by customer_id
) as f
    on f.customer_id = d.customer_id
{#- Rows in customer order: a table built in one statement then has full row groups (an unordered parallel
    insert leaves part-filled ones between them, which DuckDB's vacuum merges after the first daily deletes,
    rewriting most of the table). #}
order by d.customer_id
