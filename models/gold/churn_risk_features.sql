-- Features per customer for the churn-risk model: how often and how badly their complaints went.
select
    d.customer_id,
    d.plan,
    d.region,
    d.plan in ('business', 'postpaid_plus') as is_premium,
    count(f.complaint_id) as complaints,
    count(f.complaint_id) - count(f.entered_resolved_at) as open_complaints,
    sum(case when f.sla_breached then 1 else 0 end) as sla_breaches,
    {{ round_average('f.resolution_hours', 2) }} as avg_resolution_hours,
    max(f.opened_at) as last_complaint_at,
    count(distinct f.channel) as channels_used
from {{ ref('dim_customers') }} as d
left join {{ ref('fct_complaints') }} as f
    on f.customer_id = d.customer_id
where d.dbt_valid_to is null
group by d.customer_id, d.plan, d.region
