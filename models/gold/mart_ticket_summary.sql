-- Complaints by channel, current status, day opened and agent, with the time spent in each status.
{#- Incremental by day opened: a run recomputes every group of the days that have a complaint changed
    since the last run (a status change moves a complaint between groups of its day) and replaces those
    days' rows (delete+insert on opened_date); the other days stay as they are. -#}
{#- Replacing a day's rows: delete+insert on DuckDB; on BigQuery, whose merge needs a key unique in the new rows,
    insert_overwrite of the day's partition. A day all of whose complaints left is deleted by the pre-hook. -#}
{{ config(materialized='incremental', unique_key='opened_date', on_schema_change='append_new_columns',
          incremental_strategy=('insert_overwrite' if target.type == 'bigquery' else 'delete+insert'),
          partition_by=({'field': 'opened_date', 'data_type': 'date'} if target.type == 'bigquery' else none),
          pre_hook="{% if is_incremental() %}{{ delete_emptied_days(ref('fct_complaints'), ref('complaints')) }}{% endif %}") }}

{#- complaints' quarantine is read only by incremental runs, which the parse does not see (as in dbt): -#}
-- depends_on: {{ ref('complaints') }}

select
    channel,
    status,
    opened_date,
    agent_id,
    count(*) as complaints,
    count(entered_resolved_at) as resolved,
    {#- Additive, so that rollups (mart_agent_performance) stay exact: an average of averages would not be. #}
    cast(sum(resolution_hours) as {{ exact_decimal(2) }}) as total_resolution_hours,
    {{ round_average('hours_in_backlog', 2) }} as avg_hours_in_backlog,
    {{ round_average('hours_in_progress', 2) }} as avg_hours_in_progress,
    {#- A count (BIGINT, INT64): DuckDB's sum of integers is a HUGEINT, slow to sum again and to store. #}
    count(case when sla_breached then 1 end) as sla_breaches,
    max(last_changed_at) as last_changed_at
from {{ ref('fct_complaints') }}
{% if is_incremental() %}
where opened_date in (
    select distinct cast(opened_at as date)
    from ({{ changed_complaints(ref('complaints'), watermark('last_changed_at')) }}) as changed
)
{% endif %}
group by channel, status, opened_date, agent_id
