select
    a.agent_id,
    a.team,
    count(f.complaint_id) as complaints_handled,
    count(f.resolved_at) as complaints_resolved,
    {{ round_average('f.resolution_hours', 2) }} as avg_resolution_hours,
    sum(case when f.sla_breached then 1 else 0 end) as sla_breaches
from {{ ref('dim_agents') }} as a
left join {{ ref('fct_complaints') }} as f
    on f.agent_id = a.agent_id
where a.dbt_valid_to is null
group by a.agent_id, a.team
