{#- quarantine: complaints failing this model's row-level tests (no customer id, unknown customer or
    agent, unknown status) are moved to complaints__quarantine, with the failed tests per row, instead of
    flowing into gold.
    Incremental: a run takes the complaints with a status change landed since the last run and finds their
    latest state among their new changes and their state after the last run; only those rows are checked. A complaint's newest state
    decides where it lives (here or in the quarantine), as in one build over all the data. The key includes
    opened_at, which never changes for a complaint, so the merge skips the blocks of older complaints. -#}
{{ config(materialized='incremental', unique_key=['complaint_id', 'opened_at'], incremental_strategy='merge', quarantine=true, on_schema_change='append_new_columns') }}

{% if is_incremental() %}
with new_events as (
    select complaint_id, channel, customer_id, opened_at, category_code, status, agent_id, event_at, loaded_at
    from {{ ref('complaint_events') }}
    where complaint_id is not null
      and loaded_at > {{ watermark('loaded_at') }}
),

touched as (
    select complaint_id, min(opened_at) as opened_at
    from new_events
    group by complaint_id
),

{#- The touched complaints as the last run left them (here or in the quarantine) beside their new changes:
    the newest of these is the newest of all their changes, which are not read again. -#}
changes as (
    select * from new_events
    {%- for relation in [this, quarantine_of(this)] %}
    union all
    select complaint_id, channel, customer_id, opened_at, category_code, status, agent_id, updated_at as event_at, loaded_at
    from {{ relation }}
    where complaint_id in (select complaint_id from touched)
      {#- A complaint's opening time never changes: this bound lets the scan skip the older complaints. #}
      and opened_at >= (select min(opened_at) from touched)
    {%- endfor %}
)
{% endif %}

-- Each complaint as it stands now: its latest status change.
select
    complaint_id,
    channel,
    customer_id,
    opened_at,
    category_code,
    status,
    agent_id,
    event_at as updated_at,
    loaded_at,
    {#- The day of the daily run that wrote the row: the tests in schema.yml check that run's rows. #}
    {{ batch_ds() }} as batch_ds,
    {#- The invocation that wrote the row: a build without ds takes to gold what its own run wrote. #}
    '{{ invocation_id }}' as invocation_id
{% if is_incremental() %}
from changes
where complaint_id is not null
{#- A change sent again (the same time) replaces the state it was: the later load wins. #}
qualify row_number() over (partition by complaint_id order by event_at desc, loaded_at desc) = 1
{% else %}
from {{ ref('complaint_events') }}
where complaint_id is not null
qualify row_number() over (partition by complaint_id order by event_at desc) = 1
{% endif %}
{#- Rows in opening order: a day's changes touch recent complaints, so the daily merge changes the newest
    blocks only (unordered, it would change a few rows in every block, and DuckDB's checkpoint would
    rewrite them all). #}
order by opened_at, complaint_id
