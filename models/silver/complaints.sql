{#- quarantine: complaints failing this model's row-level tests (no customer id, unknown customer or
    agent, unknown status) are moved to complaints__quarantine, with the failed tests per row, instead of
    flowing into gold.
    Incremental: a run takes the complaints with a status change landed since the last run and recomputes
    their latest state from all their changes; only those rows are checked. A complaint's newest state
    decides where it lives (here or in the quarantine), as in one build over all the data. The key includes
    opened_at, which never changes for a complaint, so the merge skips the blocks of older complaints. -#}
{{ config(materialized='incremental', unique_key=['complaint_id', 'opened_at'], incremental_strategy='merge', quarantine=true, on_schema_change='append_new_columns') }}

{% if is_incremental() %}
with touched as (
    select complaint_id, min(opened_at) as opened_at
    from {{ ref('complaint_events') }}
    where loaded_at > coalesce((select max(loaded_at) from {{ this }}), cast('1900-01-01' as timestamp))
    group by complaint_id
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
from {{ ref('complaint_events') }}
where complaint_id is not null
{% if is_incremental() %}
  and complaint_id in (select complaint_id from touched)
  {#- Every change of a complaint carries its opening time: this bound lets the scan skip the older events. #}
  and opened_at >= (select min(opened_at) from touched)
{% endif %}
qualify row_number() over (partition by complaint_id order by event_at desc) = 1
{#- Rows in opening order: a day's changes touch recent complaints, so the daily merge changes the newest
    blocks only (unordered, it would change a few rows in every block, and DuckDB's checkpoint would
    rewrite them all). #}
order by opened_at, complaint_id
