{#- The few functions the demo needs that DuckDB and BigQuery spell differently, through adapter.dispatch. -#}

{% macro median(column) -%}
    {{ adapter.dispatch('median', 'complaints')(column) }}
{%- endmacro %}
{% macro default__median(column) -%}
    median({{ column }})
{%- endmacro %}
{% macro bigquery__median(column) -%}
    approx_quantiles({{ column }}, 2)[offset(1)]
{%- endmacro %}

{#- text in either of the call log's formats ('2026-01-05 08:30:00' or '05/01/2026 08:30') → timestamp -#}
{% macro parse_mixed_timestamp(column) -%}
    {{ adapter.dispatch('parse_mixed_timestamp', 'complaints')(column) }}
{%- endmacro %}
{% macro default__parse_mixed_timestamp(column) -%}
    coalesce(try_strptime(trim({{ column }}), '%Y-%m-%d %H:%M:%S'), try_strptime(trim({{ column }}), '%d/%m/%Y %H:%M'))
{%- endmacro %}
{% macro bigquery__parse_mixed_timestamp(column) -%}
    coalesce(safe.parse_timestamp('%Y-%m-%d %H:%M:%S', trim({{ column }})), safe.parse_timestamp('%d/%m/%Y %H:%M', trim({{ column }})))
{%- endmacro %}

{#- the digits of a text ('+31 6 1234 5678' → '31612345678') -#}
{% macro digits_only(column) -%}
    {{ adapter.dispatch('digits_only', 'complaints')(column) }}
{%- endmacro %}
{% macro default__digits_only(column) -%}
    regexp_replace({{ column }}, '[^0-9]', '', 'g')
{%- endmacro %}
{% macro bigquery__digits_only(column) -%}
    regexp_replace({{ column }}, r'[^0-9]', '')
{%- endmacro %}

{#- true when the text matches a regular expression -#}
{% macro matches_pattern(column, pattern) -%}
    {{ adapter.dispatch('matches_pattern', 'complaints')(column, pattern) }}
{%- endmacro %}
{% macro default__matches_pattern(column, pattern) -%}
    regexp_matches({{ column }}, '{{ pattern }}')
{%- endmacro %}
{% macro bigquery__matches_pattern(column, pattern) -%}
    regexp_contains({{ column }}, r'{{ pattern }}')
{%- endmacro %}

{#- hours from one timestamp to another, to the minute, as an exact decimal (null if either is null) -#}
{% macro hours_between(start, end) -%}
    cast(round({{ dbt.datediff(start, end, 'minute') }} / 60.0, 2) as {{ exact_decimal(2) }})
{%- endmacro %}

{#- An exact decimal with `digits` decimals. On DuckDB 18 digits in all, stored in 8 bytes: its numeric
    (28 or 38 digits) is stored in 16 uncompressed bytes, slower to scan and to checkpoint. -#}
{% macro exact_decimal(digits) -%}
    {{ adapter.dispatch('exact_decimal', 'complaints')(digits) }}
{%- endmacro %}
{% macro default__exact_decimal(digits) -%}
    decimal(18, {{ digits }})
{%- endmacro %}
{% macro bigquery__exact_decimal(digits) -%}
    numeric
{%- endmacro %}

{#- the mean of exact decimals, rounded to `digits` exactly (half away from zero), as a decimal on both.
    DuckDB's avg of a DECIMAL is a DOUBLE, and rounding that double is not exact: 39.355 is 39.35499…, which
    gives 39.35. Cast to 9 decimals first, the double gives back the exact mean of decimals (it is off by far
    less than 1e-9), as BigQuery's avg of NUMERIC (9 decimals) is; BigQuery's round then agrees. -#}
{% macro round_average(column, digits) -%}
    cast(round(cast(avg({{ column }}) as {{ adapter.dispatch('numeric_9', 'complaints')() }}), {{ digits }}) as {{ exact_decimal(digits) }})
{%- endmacro %}
{#- total / count rounded as round_average rounds a mean (null when count is 0): the mean of exact decimals
    from their sum and count, for rollups of partial sums. -#}
{% macro round_ratio(total, count, digits) -%}
    cast(round(cast({{ total }} / nullif({{ count }}, 0) as {{ adapter.dispatch('numeric_9', 'complaints')() }}), {{ digits }}) as {{ exact_decimal(digits) }})
{%- endmacro %}
{% macro default__numeric_9() -%}
    decimal(38, 9)
{%- endmacro %}
{% macro bigquery__numeric_9() -%}
    numeric
{%- endmacro %}

{#- a timestamp as the text DuckDB casts it to ('2026-01-05 08:30:00', fractional seconds only when there are
    some), so keys built from it are the same on both; BigQuery's cast would add '+00' -#}
{% macro timestamp_text(column) -%}
    {{ adapter.dispatch('timestamp_text', 'complaints')(column) }}
{%- endmacro %}
{% macro default__timestamp_text(column) -%}
    cast({{ column }} as {{ dbt.type_string() }})
{%- endmacro %}
{% macro bigquery__timestamp_text(column) -%}
    format_timestamp('%Y-%m-%d %H:%M:%E*S', {{ column }})
{%- endmacro %}

{#- The day a daily run processes (--vars '{ds: 2026-01-05}'), as a date; null in a build without ds. The
    rows a run writes carry it (batch_ds), so that a test's `where` can keep to them. -#}
{% macro batch_ds() -%}
{% if var('ds', '') %}cast('{{ var("ds") }}' as date){% else %}cast(null as date){% endif %}
{%- endmacro %}
