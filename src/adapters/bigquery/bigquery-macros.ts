import type { AdapterMacroFile } from '../contract.js';

/**
 * BigQuery (dbt-bigquery)'s versions of dbt's cross-database macros (`bigquery__<name>`), which `adapter.dispatch` picks on a
 * target of this type. The dispatching macros and the `default__` versions are the template engine's own.
 */
export const bigqueryMacroFiles: AdapterMacroFile[] = [
  {
    // dbt-bigquery's: tables and views are created or replaced, and a "temporary" table is a real one that expires
    // after 12 hours (BigQuery's temporary tables live only inside a script).
    path: 'strata/adapters/bigquery/relations.sql',
    contents: `{% macro bigquery__create_table_as(temporary, relation, sql, language='sql') -%}create or replace table {{ relation }}{% if temporary %} options(expiration_timestamp = timestamp_add(current_timestamp(), interval 12 hour)){% endif %} as ({{ sql }}){%- endmacro %}
{% macro bigquery__create_view_as(relation, sql) -%}create or replace view {{ relation }} as ({{ sql }}){%- endmacro %}
`,
  },
  {
    path: 'strata/adapters/bigquery/cross-db.sql',
    contents: `{% macro bigquery__current_timestamp() -%}current_timestamp(){%- endmacro %}
{% macro bigquery__concat(fields) -%}concat({{ fields | join(', ') }}){%- endmacro %}
{% macro bigquery__type_string() -%}string{%- endmacro %}
{% macro bigquery__type_int() -%}int64{%- endmacro %}
{% macro bigquery__hash(field) -%}to_hex(md5(cast({{ field }} as string))){%- endmacro %}
{% macro bigquery__datediff(first_date, second_date, datepart) -%}datetime_diff(cast({{ second_date }} as datetime), cast({{ first_date }} as datetime), {{ datepart }}){%- endmacro %}
{% macro bigquery__safe_cast(field, type) -%}safe_cast({{ field }} as {{ type }}){%- endmacro %}
`,
  },
  {
    path: 'strata/adapters/bigquery/cross-db-more.sql',
    contents: `{% macro bigquery__type_bigint() -%}int64{%- endmacro %}
{% macro bigquery__type_float() -%}float64{%- endmacro %}
{% macro bigquery__type_numeric() -%}numeric{%- endmacro %}
{% macro bigquery__type_boolean() -%}bool{%- endmacro %}
{% macro bigquery__bool_or(expression) -%}logical_or({{ expression }}){%- endmacro %}
{% macro bigquery__cast_bool_to_text(field) -%}cast({{ field }} as string){%- endmacro %}
{% macro bigquery__date_trunc(datepart, date) -%}timestamp_trunc(cast({{ date }} as timestamp), {{ datepart }}){%- endmacro %}
{% macro bigquery__dateadd(datepart, interval, from_date_or_timestamp) -%}datetime_add(cast({{ from_date_or_timestamp }} as datetime), interval {{ interval }} {{ datepart }}){%- endmacro %}
{% macro bigquery__escape_single_quotes(expression) -%}{{ expression | replace("'", "\\\\'") }}{%- endmacro %}
{% macro bigquery__except() -%}except distinct{%- endmacro %}
{% macro bigquery__intersect() -%}intersect distinct{%- endmacro %}
{% macro bigquery__position(substring_text, string_text) -%}strpos({{ string_text }}, {{ substring_text }}){%- endmacro %}
{% macro bigquery__right(string_text, length_expression) -%}case when {{ length_expression }} = 0 then '' else substr({{ string_text }}, -1 * ({{ length_expression }})) end{%- endmacro %}
{% macro bigquery__split_part(string_text, delimiter_text, part_number) -%}
{%- if part_number >= 0 -%}split({{ string_text }}, {{ delimiter_text }})[safe_offset({{ part_number - 1 }})]
{%- else -%}array_reverse(split({{ string_text }}, {{ delimiter_text }}))[safe_offset({{ -part_number - 1 }})]
{%- endif -%}
{%- endmacro %}
{% macro bigquery__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}string_agg({{ measure }}, {{ delimiter_text }}{% if order_by_clause %} {{ order_by_clause }}{% endif %}{% if limit_num %} limit {{ limit_num }}{% endif %}){%- endmacro %}
{% macro bigquery__array_construct(inputs, data_type) -%}{% if inputs | length > 0 %}[{{ inputs | join(' , ') }}]{% else %}array<{{ data_type or 'int64' }}>[]{% endif %}{%- endmacro %}
{% macro bigquery__array_append(array, new_element) -%}array_concat({{ array }}, [{{ new_element }}]){%- endmacro %}
{% macro bigquery__array_concat(array_1, array_2) -%}array_concat({{ array_1 }}, {{ array_2 }}){%- endmacro %}
{% macro bigquery__date(year, month, day) -%}date({{ year }}, {{ month }}, {{ day }}){%- endmacro %}
{% macro bigquery__string_literal(value) -%}'''{{ value }}'''{%- endmacro %}
{% macro bigquery__equals(expr1, expr2) -%}({{ expr1 }} is not distinct from {{ expr2 }}){%- endmacro %}
`,
  },
];
