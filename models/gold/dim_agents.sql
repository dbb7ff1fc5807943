select agent_id, agent_name_masked, team, hired_on
from {{ ref('agents') }}
