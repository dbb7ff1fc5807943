-- Complaints by channel, current status, day opened and agent, with the time spent in each status.
select
    channel,
    status,
    opened_date,
    agent_id,
    count(*) as complaints,
    count(entered_resolved_at) as resolved,
    {{ round_average('hours_in_backlog', 2) }} as avg_hours_in_backlog,
    {{ round_average('hours_in_progress', 2) }} as avg_hours_in_progress,
    sum(case when sla_breached then 1 else 0 end) as sla_breaches
from {{ ref('fct_complaints') }}
group by channel, status, opened_date, agent_id
