{#- Per agent: the rollup of mart_ticket_summary's rows by agent, so a run reads its ~300 thousand rows (a
    row per channel, status, day opened and agent) instead of every complaint. Its measures are additive
    (counts and sums; the average is the sum of hours over the resolved count), so the rollup is exact.
    Current agents from dim_agents; an agent without complaints has zero counts. -#}
{{ config(materialized='table') }}

select
    a.agent_id,
    a.team,
    cast(coalesce(sum(s.complaints), 0) as {{ dbt.type_bigint() }}) as complaints_handled,
    cast(coalesce(sum(s.resolved), 0) as {{ dbt.type_bigint() }}) as complaints_resolved,
    {{ round_ratio('sum(s.total_resolution_hours)', 'sum(s.resolved)', 2) }} as avg_resolution_hours,
    cast(coalesce(sum(s.sla_breaches), 0) as {{ dbt.type_bigint() }}) as sla_breaches,
    max(s.last_changed_at) as last_changed_at,
    a.dbt_valid_from as agent_valid_from
from {{ ref('dim_agents') }} as a
left join {{ ref('mart_ticket_summary') }} as s
    on s.agent_id = a.agent_id
where a.dbt_valid_to is null
group by a.agent_id, a.team, a.dbt_valid_from
