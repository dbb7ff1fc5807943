{#- Incremental by agent: a run recomputes the agents who ever handled a complaint changed since the last
    run (its earlier agents too: a complaint handed over changes both) and the agents whose current version
    in dim_agents is new, and replaces their rows (delete+insert on agent_id). An agent removed from the
    lookup sheet keeps its row until a --full-refresh. -#}
{{ config(materialized='incremental', unique_key='agent_id', on_schema_change='append_new_columns') }}

{% if is_incremental() %}
{{ touched_keys('agent_id', ref('fct_complaints'), ref('complaint_events'), ref('dim_agents'), 'agent_valid_from') }}
{% endif %}

select
    a.agent_id,
    a.team,
    count(f.complaint_id) as complaints_handled,
    count(f.resolved_at) as complaints_resolved,
    {{ round_average('f.resolution_hours', 2) }} as avg_resolution_hours,
    sum(case when f.sla_breached then 1 else 0 end) as sla_breaches,
    max(f.last_changed_at) as last_changed_at,
    a.dbt_valid_from as agent_valid_from
from {{ ref('dim_agents') }} as a
left join {{ ref('fct_complaints') }} as f
    on f.agent_id = a.agent_id
where a.dbt_valid_to is null
{% if is_incremental() %}
  and a.agent_id in (select agent_id from touched)
{% endif %}
group by a.agent_id, a.team, a.dbt_valid_from
