-- Agents as a type-2 dimension: a new version whenever the lookup sheet's updated_at moves on.
{% snapshot dim_agents %}
{{ config(schema='gold', unique_key='agent_id', strategy='timestamp', updated_at='updated_at', hard_deletes='invalidate') }}
select agent_id, agent_name_masked, team, hired_on, updated_at
from {{ ref('agents') }}
{% endsnapshot %}
