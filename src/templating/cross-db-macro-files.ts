/**
 * dbt's cross-database macros (dbt-core's global project, package `dbt`): each dispatches to its warehouse's
 * version (`duckdb__` / `bigquery__`, in the adapter's folder) or to the `default__` version here, as dbt's do,
 * so a project's own `<type>__<name>` or `dispatch:` search order reaches them.
 */
import type { MacroFile } from './types.js';

export const crossDbMacroFiles: MacroFile[] = [
  {
    path: 'strata/builtins/cross-db.sql',
    packageName: 'dbt',
    contents: `{% macro current_timestamp() -%}{{ adapter.dispatch('current_timestamp', 'dbt')() }}{%- endmacro %}
{% macro default__current_timestamp() -%}current_timestamp{%- endmacro %}
{% macro concat(fields) -%}{{ adapter.dispatch('concat', 'dbt')(fields) }}{%- endmacro %}
{% macro default__concat(fields) -%}{{ fields | join(' || ') }}{%- endmacro %}
{% macro type_string() -%}{{ adapter.dispatch('type_string', 'dbt')() }}{%- endmacro %}
{% macro default__type_string() -%}varchar{%- endmacro %}
{% macro type_int() -%}{{ adapter.dispatch('type_int', 'dbt')() }}{%- endmacro %}
{% macro default__type_int() -%}integer{%- endmacro %}
{% macro type_timestamp() -%}{{ adapter.dispatch('type_timestamp', 'dbt')() }}{%- endmacro %}
{% macro default__type_timestamp() -%}timestamp{%- endmacro %}
{% macro hash(field) -%}{{ adapter.dispatch('hash', 'dbt')(field) }}{%- endmacro %}
{% macro default__hash(field) -%}md5(cast({{ field }} as varchar)){%- endmacro %}
{% macro datediff(first_date, second_date, datepart) -%}{{ adapter.dispatch('datediff', 'dbt')(first_date, second_date, datepart) }}{%- endmacro %}
{% macro default__datediff(first_date, second_date, datepart) -%}date_diff('{{ datepart }}', {{ first_date }}, {{ second_date }}){%- endmacro %}
{% macro safe_cast(field, type) -%}{{ adapter.dispatch('safe_cast', 'dbt')(field, type) }}{%- endmacro %}
{% macro default__safe_cast(field, type) -%}try_cast({{ field }} as {{ type }}){%- endmacro %}
`,
  },
  {
    // The rest of dbt's cross-database macros (dbt-core's global project), for projects and packages that
    // call them as dbt.<name>(). Each warehouse's own versions are its adapter's macro files (adapters/<type>/).
    path: 'strata/builtins/cross-db-more.sql',
    packageName: 'dbt',
    contents: `{% macro type_bigint() -%}{{ adapter.dispatch('type_bigint', 'dbt')() }}{%- endmacro %}
{% macro default__type_bigint() -%}bigint{%- endmacro %}
{% macro type_float() -%}{{ adapter.dispatch('type_float', 'dbt')() }}{%- endmacro %}
{% macro default__type_float() -%}float{%- endmacro %}
{% macro type_numeric() -%}{{ adapter.dispatch('type_numeric', 'dbt')() }}{%- endmacro %}
{% macro default__type_numeric() -%}numeric(28,6){%- endmacro %}
{% macro type_boolean() -%}{{ adapter.dispatch('type_boolean', 'dbt')() }}{%- endmacro %}
{% macro default__type_boolean() -%}boolean{%- endmacro %}
{% macro cast(field, type) -%}{{ adapter.dispatch('cast', 'dbt')(field, type) }}{%- endmacro %}
{% macro default__cast(field, type) -%}cast({{ field }} as {{ type }}){%- endmacro %}
{% macro current_timestamp_backcompat() -%}{{ return(adapter.dispatch('current_timestamp_backcompat', 'dbt')()) }}{%- endmacro %}
{% macro default__current_timestamp_backcompat() -%}cast({{ dbt.current_timestamp() }} as {{ dbt.type_timestamp() }}){%- endmacro %}
{% macro current_timestamp_in_utc_backcompat() -%}{{ return(adapter.dispatch('current_timestamp_in_utc_backcompat', 'dbt')()) }}{%- endmacro %}
{% macro default__current_timestamp_in_utc_backcompat() -%}{{ return(adapter.dispatch('current_timestamp_backcompat', 'dbt')()) }}{%- endmacro %}
{% macro any_value(expression) -%}{{ adapter.dispatch('any_value', 'dbt')(expression) }}{%- endmacro %}
{% macro default__any_value(expression) -%}any_value({{ expression }}){%- endmacro %}
{% macro bool_or(expression) -%}{{ adapter.dispatch('bool_or', 'dbt')(expression) }}{%- endmacro %}
{% macro default__bool_or(expression) -%}bool_or({{ expression }}){%- endmacro %}
{% macro cast_bool_to_text(field) -%}{{ adapter.dispatch('cast_bool_to_text', 'dbt')(field) }}{%- endmacro %}
{% macro default__cast_bool_to_text(field) -%}cast({{ field }} as varchar){%- endmacro %}
{% macro date_trunc(datepart, date) -%}{{ adapter.dispatch('date_trunc', 'dbt')(datepart, date) }}{%- endmacro %}
{% macro default__date_trunc(datepart, date) -%}date_trunc('{{ datepart }}', {{ date }}){%- endmacro %}
{% macro dateadd(datepart, interval, from_date_or_timestamp) -%}{{ adapter.dispatch('dateadd', 'dbt')(datepart, interval, from_date_or_timestamp) }}{%- endmacro %}
{% macro default__dateadd(datepart, interval, from_date_or_timestamp) -%}date_add({{ from_date_or_timestamp }}, interval ({{ interval }}) {{ datepart }}){%- endmacro %}
{% macro last_day(date, datepart) -%}{{ adapter.dispatch('last_day', 'dbt')(date, datepart) }}{%- endmacro %}
{% macro default_last_day(date, datepart) -%}cast({{ dbt.dateadd('day', '-1', dbt.dateadd(datepart, '1', dbt.date_trunc(datepart, date))) }} as date){%- endmacro %}
{% macro default__last_day(date, datepart) -%}{{ dbt.default_last_day(date, datepart) }}{%- endmacro %}
{% macro escape_single_quotes(expression) -%}{{ adapter.dispatch('escape_single_quotes', 'dbt')(expression) }}{%- endmacro %}
{% macro default__escape_single_quotes(expression) -%}{{ expression | replace("'", "''") }}{%- endmacro %}
{% macro string_literal(value) -%}{{ adapter.dispatch('string_literal', 'dbt')(value) }}{%- endmacro %}
{% macro default__string_literal(value) -%}'{{ value }}'{%- endmacro %}
{% macro except() -%}{{ adapter.dispatch('except', 'dbt')() }}{%- endmacro %}
{% macro default__except() -%}except{%- endmacro %}
{% macro intersect() -%}{{ adapter.dispatch('intersect', 'dbt')() }}{%- endmacro %}
{% macro default__intersect() -%}intersect{%- endmacro %}
{% macro length(expression) -%}{{ adapter.dispatch('length', 'dbt')(expression) }}{%- endmacro %}
{% macro default__length(expression) -%}length({{ expression }}){%- endmacro %}
{% macro position(substring_text, string_text) -%}{{ adapter.dispatch('position', 'dbt')(substring_text, string_text) }}{%- endmacro %}
{% macro default__position(substring_text, string_text) -%}position({{ substring_text }} in {{ string_text }}){%- endmacro %}
{% macro replace(field, old_chars, new_chars) -%}{{ adapter.dispatch('replace', 'dbt')(field, old_chars, new_chars) }}{%- endmacro %}
{% macro default__replace(field, old_chars, new_chars) -%}replace({{ field }}, {{ old_chars }}, {{ new_chars }}){%- endmacro %}
{% macro right(string_text, length_expression) -%}{{ adapter.dispatch('right', 'dbt')(string_text, length_expression) }}{%- endmacro %}
{% macro default__right(string_text, length_expression) -%}right({{ string_text }}, {{ length_expression }}){%- endmacro %}
{% macro split_part(string_text, delimiter_text, part_number) -%}{{ adapter.dispatch('split_part', 'dbt')(string_text, delimiter_text, part_number) }}{%- endmacro %}
{% macro default__split_part(string_text, delimiter_text, part_number) -%}split_part({{ string_text }}, {{ delimiter_text }}, {{ part_number }}){%- endmacro %}
{% macro listagg(measure, delimiter_text="','", order_by_clause=none, limit_num=none) -%}{{ adapter.dispatch('listagg', 'dbt')(measure, delimiter_text, order_by_clause, limit_num) }}{%- endmacro %}
{% macro default__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
{%- if limit_num -%}list_aggr((array_agg({{ measure }}{% if order_by_clause %} {{ order_by_clause }}{% endif %}))[1:{{ limit_num }}], 'string_agg', {{ delimiter_text }})
{%- else -%}string_agg({{ measure }}, {{ delimiter_text }}{% if order_by_clause %} {{ order_by_clause }}{% endif %})
{%- endif -%}
{%- endmacro %}
{% macro array_construct(inputs=[], data_type=none) -%}{{ adapter.dispatch('array_construct', 'dbt')(inputs, data_type) }}{%- endmacro %}
{% macro default__array_construct(inputs, data_type) -%}{% if inputs | length > 0 %}[{{ inputs | join(' , ') }}]{% else %}cast([] as {{ data_type or 'integer' }}[]){% endif %}{%- endmacro %}
{% macro array_append(array, new_element) -%}{{ adapter.dispatch('array_append', 'dbt')(array, new_element) }}{%- endmacro %}
{% macro default__array_append(array, new_element) -%}list_append({{ array }}, {{ new_element }}){%- endmacro %}
{% macro array_concat(array_1, array_2) -%}{{ adapter.dispatch('array_concat', 'dbt')(array_1, array_2) }}{%- endmacro %}
{% macro default__array_concat(array_1, array_2) -%}list_concat({{ array_1 }}, {{ array_2 }}){%- endmacro %}
{% macro equals(expr1, expr2) -%}{{ adapter.dispatch('equals', 'dbt')(expr1, expr2) }}{%- endmacro %}
{% macro default__equals(expr1, expr2) -%}
{%- if adapter.behavior.enable_truthy_nulls_equals_macro.no_warn -%}(case when (({{ expr1 }} = {{ expr2 }}) or ({{ expr1 }} is null and {{ expr2 }} is null)) then 0 else 1 end = 0)
{%- else -%}({{ expr1 }} = {{ expr2 }})
{%- endif -%}
{%- endmacro %}
`,
  },
  {
    // dbt's series and date spine: generate_series(n) is the numbers 1..n as generated_number (a cross join of
    // powers of two by default); get_intervals_between asks the warehouse (one row) while running and is 1 while
    // parsing, as in dbt; date_spine is every datepart from start_date up to end_date.
    path: 'strata/builtins/date-spine.sql',
    packageName: 'dbt',
    contents: `{% macro date(year, month, day) -%}{{ return(adapter.dispatch('date', 'dbt')(year, month, day)) }}{%- endmacro %}
{% macro default__date(year, month, day) -%}
{%- set iso = modules.datetime.date(year, month, day).strftime('%Y-%m-%d') -%}
to_date('{{ iso }}', 'YYYY-MM-DD')
{%- endmacro %}
{% macro get_powers_of_two(upper_bound) -%}{{ return(adapter.dispatch('get_powers_of_two', 'dbt')(upper_bound)) }}{%- endmacro %}
{% macro default__get_powers_of_two(upper_bound) -%}
{%- if upper_bound <= 0 -%}{{ exceptions.raise_compiler_error("get_powers_of_two: the upper bound must be positive, not " ~ upper_bound) }}{%- endif -%}
{%- for _ in range(1, 100) -%}{%- if upper_bound <= 2 ** loop.index -%}{{ return(loop.index) }}{%- endif -%}{%- endfor -%}
{%- endmacro %}
{% macro generate_series(upper_bound) -%}{{ return(adapter.dispatch('generate_series', 'dbt')(upper_bound)) }}{%- endmacro %}
{% macro default__generate_series(upper_bound) -%}
{%- set n = dbt.get_powers_of_two(upper_bound) -%}
with p as (select 0 as generated_number union all select 1),
unioned as (
  select {% for i in range(n) %}p{{ i }}.generated_number * power(2, {{ i }}) + {% endfor %}1 as generated_number
  from {% for i in range(n) %}p as p{{ i }}{% if not loop.last %} cross join {% endif %}{% endfor %}
)
select * from unioned where generated_number <= {{ upper_bound }} order by generated_number
{%- endmacro %}
{% macro get_intervals_between(start_date, end_date, datepart) -%}{{ return(adapter.dispatch('get_intervals_between', 'dbt')(start_date, end_date, datepart)) }}{%- endmacro %}
{% macro default__get_intervals_between(start_date, end_date, datepart) -%}
{%- call statement('get_intervals_between', fetch_result=True) -%}select {{ dbt.datediff(start_date, end_date, datepart) }}{%- endcall -%}
{%- set found = load_result('get_intervals_between') -%}
{%- if found and found['data'] -%}{{ return(found['data'][0][0]) }}{%- endif -%}
{{ return(1) }}
{%- endmacro %}
{% macro date_spine(datepart, start_date, end_date) -%}{{ return(adapter.dispatch('date_spine', 'dbt')(datepart, start_date, end_date)) }}{%- endmacro %}
{% macro default__date_spine(datepart, start_date, end_date) -%}
with rawdata as (
{{ dbt.generate_series(dbt.get_intervals_between(start_date, end_date, datepart)) }}
),
all_periods as (
  select ({{ dbt.dateadd(datepart, 'row_number() over (order by 1) - 1', start_date) }}) as date_{{ datepart }}
  from rawdata
),
filtered as (
  select * from all_periods where date_{{ datepart }} <= {{ end_date }}
)
select * from filtered
{%- endmacro %}
`,
  },
];
