select
    opened_date,
    channel,
    category_code,
    count(*) as complaints,
    count(resolved_at) as resolved,
    {{ median('resolution_hours') }} as median_resolution_hours,
    round(avg(case when sla_breached then 1.0 when sla_breached is not null then 0.0 end), 3) as sla_breach_rate
from {{ ref('fct_complaints') }}
group by opened_date, channel, category_code
