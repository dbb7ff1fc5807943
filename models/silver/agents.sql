select
    agent_id,
    {{ mask_name('agent_name') }} as agent_name_masked,
    lower(team) as team,
    cast(hired_on as date) as hired_on
from {{ ref('brz_agents') }}
