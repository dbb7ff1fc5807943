{#- quarantine: complaints failing this model's row-level tests (no customer id, unknown customer or
    agent, unknown status) are moved to complaints__quarantine, with the failed tests per row, instead of
    flowing into gold. -#}
{{ config(materialized='table', quarantine=true) }}

-- Each complaint as it stands now: its latest status change.
select
    complaint_id,
    channel,
    customer_id,
    opened_at,
    category_code,
    status,
    agent_id,
    event_at as updated_at
from {{ ref('complaint_events') }}
where complaint_id is not null
qualify row_number() over (partition by complaint_id order by event_at desc) = 1
