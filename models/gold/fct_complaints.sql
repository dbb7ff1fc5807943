-- One row per complaint, joined to its category's SLA; updated incrementally by complaint_id.
{{ config(materialized='incremental', unique_key='complaint_id', on_schema_change='append_new_columns') }}

select
    c.complaint_id,
    c.channel,
    c.customer_id,
    c.agent_id,
    c.category_code,
    cat.category_name,
    c.status,
    c.opened_at,
    c.resolved_at,
    cast(c.opened_at as date) as opened_date,
    case when c.resolved_at is null then null
         else round({{ dbt.datediff('c.opened_at', 'c.resolved_at', 'minute') }} / 60.0, 2) end as resolution_hours,
    cat.sla_hours,
    case when c.resolved_at is null then null
         else {{ dbt.datediff('c.opened_at', 'c.resolved_at', 'minute') }} > cat.sla_hours * 60 end as sla_breached
from {{ ref('complaints') }} as c
left join {{ ref('complaint_categories') }} as cat
    on c.category_code = cat.category_code
{% if is_incremental() %}
-- Only complaints opened or resolved since the last build.
where coalesce(c.resolved_at, c.opened_at) > (select max(coalesce(resolved_at, opened_at)) from {{ this }})
   or c.complaint_id not in (select complaint_id from {{ this }})
{% endif %}
