{#- Incremental by day opened, as mart_ticket_summary: the days with a complaint changed since the last
    run are recomputed and replace their rows (delete+insert on opened_date). -#}
{#- Replacing a day's rows: delete+insert on DuckDB; on BigQuery, whose merge needs a key unique in the new rows,
    insert_overwrite of the day's partition. A day all of whose complaints left is deleted by the pre-hook. -#}
{{ config(materialized='incremental', unique_key='opened_date', on_schema_change='append_new_columns',
          incremental_strategy=('insert_overwrite' if target.type == 'bigquery' else 'delete+insert'),
          partition_by=({'field': 'opened_date', 'data_type': 'date'} if target.type == 'bigquery' else none),
          pre_hook="{% if is_incremental() %}{{ delete_emptied_days(ref('fct_complaints'), ref('complaints')) }}{% endif %}") }}

{#- complaints' quarantine is read only by incremental runs, which the parse does not see (as in dbt): -#}
-- depends_on: {{ ref('complaints') }}

select
    opened_date,
    channel,
    category_code,
    count(*) as complaints,
    count(resolved_at) as resolved,
    {{ median('resolution_hours') }} as median_resolution_hours,
    round(avg(case when sla_breached then 1.0 when sla_breached is not null then 0.0 end), 3) as sla_breach_rate,
    max(last_changed_at) as last_changed_at
from {{ ref('fct_complaints') }}
{% if is_incremental() %}
where opened_date in (
    select distinct cast(opened_at as date)
    from ({{ changed_complaints(ref('complaints'), watermark('last_changed_at')) }}) as changed
)
{% endif %}
group by opened_date, channel, category_code
