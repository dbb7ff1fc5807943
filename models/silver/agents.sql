select distinct
    agent_id,
    {{ mask_name('agent_name') }} as agent_name_masked,
    lower(trim(team)) as team,
    cast(hired_on as date) as hired_on,
    cast(updated_at as timestamp) as updated_at
from {{ ref('brz_agents') }}
