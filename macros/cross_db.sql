{#- The few functions the demo needs that DuckDB and BigQuery spell differently, through adapter.dispatch. -#}

{#- '28/01/2026 08:37' (the call centre's day-first text) → timestamp -#}
{% macro parse_day_first_timestamp(column) -%}
    {{ adapter.dispatch('parse_day_first_timestamp', 'complaints')(column) }}
{%- endmacro %}
{% macro default__parse_day_first_timestamp(column) -%}
    strptime({{ column }}, '%d/%m/%Y %H:%M')
{%- endmacro %}
{% macro bigquery__parse_day_first_timestamp(column) -%}
    parse_timestamp('%d/%m/%Y %H:%M', {{ column }})
{%- endmacro %}

{#- seconds since 1970 → timestamp -#}
{% macro timestamp_from_epoch(column) -%}
    {{ adapter.dispatch('timestamp_from_epoch', 'complaints')(column) }}
{%- endmacro %}
{% macro default__timestamp_from_epoch(column) -%}
    make_timestamp(cast({{ column }} as bigint) * 1000000)
{%- endmacro %}
{% macro bigquery__timestamp_from_epoch(column) -%}
    timestamp_seconds(cast({{ column }} as int64))
{%- endmacro %}

{% macro median(column) -%}
    {{ adapter.dispatch('median', 'complaints')(column) }}
{%- endmacro %}
{% macro default__median(column) -%}
    median({{ column }})
{%- endmacro %}
{% macro bigquery__median(column) -%}
    approx_quantiles({{ column }}, 2)[offset(1)]
{%- endmacro %}
