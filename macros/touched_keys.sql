{#- The `changed` and `touched` CTEs of an incremental mart keyed by `key` (customer_id, agent_id): the keys of
    every event of the complaints changed since the mart's last run (a complaint handed over touches its earlier
    agents too), and the keys whose current version in the `dimension` snapshot is newer than the mart's
    `valid_from` column. The relations are passed in, so the model's refs stay where the parse sees them. -#}
{% macro touched_keys(key, facts, events, dimension, valid_from) %}
with changed as (
    select complaint_id, opened_at from {{ facts }}
    where last_changed_at > coalesce((select max(last_changed_at) from {{ this }}), cast('1900-01-01' as timestamp))
),

touched as (
    select distinct e.{{ key }}
    from {{ events }} as e
    inner join changed as c on c.complaint_id = e.complaint_id
    {#- Every change of a complaint carries its opening time: this bound lets the scan skip the older events. #}
    where e.opened_at >= (select min(opened_at) from changed)
    union all
    select {{ key }} from {{ dimension }}
    where dbt_valid_to is null and dbt_valid_from > coalesce((select max({{ valid_from }}) from {{ this }}), cast('1900-01-01' as timestamp))
)
{% endmacro %}
