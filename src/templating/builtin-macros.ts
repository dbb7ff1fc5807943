import type { MacroFile } from './types.js';

/**
 * dbt's global-project macros that projects commonly override, with dbt's default behaviour.
 * Package `dbt`: a project macro of the same name wins; `dbt.<name>()` reaches these explicitly.
 */
export const builtinMacroFiles: MacroFile[] = [
  {
    path: 'strata/builtins/naming.sql',
    packageName: 'dbt',
    contents: `{% macro generate_schema_name(custom_schema_name, node) -%}
{%- set default_schema = target.schema -%}
{%- if custom_schema_name is none -%}{{ default_schema }}{%- else -%}{{ default_schema }}_{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
{% macro generate_alias_name(custom_alias_name=none, node=none) -%}
{%- if custom_alias_name -%}{{ custom_alias_name | trim }}{%- elif node.version -%}{{ node.name ~ "_v" ~ node.version }}{%- else -%}{{ node.name }}{%- endif -%}
{%- endmacro %}
{% macro generate_database_name(custom_database_name=none, node=none) -%}
{%- if custom_database_name is none -%}{{ target.database }}{%- else -%}{{ custom_database_name | trim }}{%- endif -%}
{%- endmacro %}
{% macro generate_schema_name_for_env(custom_schema_name, node) -%}
{%- if target.name == 'prod' and custom_schema_name is not none -%}{{ custom_schema_name | trim }}{%- else -%}{{ target.schema }}{%- endif -%}
{%- endmacro %}
`,
  },
  {
    path: 'strata/builtins/cross-db.sql',
    packageName: 'dbt',
    contents: `{% macro current_timestamp() -%}{{ adapter.dispatch('current_timestamp', 'dbt')() }}{%- endmacro %}
{% macro default__current_timestamp() -%}current_timestamp{%- endmacro %}
{% macro bigquery__current_timestamp() -%}current_timestamp(){%- endmacro %}
{% macro concat(fields) -%}{{ adapter.dispatch('concat', 'dbt')(fields) }}{%- endmacro %}
{% macro default__concat(fields) -%}{{ fields | join(' || ') }}{%- endmacro %}
{% macro bigquery__concat(fields) -%}concat({{ fields | join(', ') }}){%- endmacro %}
{% macro type_string() -%}{{ adapter.dispatch('type_string', 'dbt')() }}{%- endmacro %}
{% macro default__type_string() -%}varchar{%- endmacro %}
{% macro bigquery__type_string() -%}string{%- endmacro %}
{% macro type_int() -%}{{ adapter.dispatch('type_int', 'dbt')() }}{%- endmacro %}
{% macro default__type_int() -%}integer{%- endmacro %}
{% macro bigquery__type_int() -%}int64{%- endmacro %}
{% macro type_timestamp() -%}timestamp{%- endmacro %}
{% macro hash(field) -%}{{ adapter.dispatch('hash', 'dbt')(field) }}{%- endmacro %}
{% macro default__hash(field) -%}md5(cast({{ field }} as varchar)){%- endmacro %}
{% macro bigquery__hash(field) -%}to_hex(md5(cast({{ field }} as string))){%- endmacro %}
{% macro datediff(first_date, second_date, datepart) -%}{{ adapter.dispatch('datediff', 'dbt')(first_date, second_date, datepart) }}{%- endmacro %}
{% macro default__datediff(first_date, second_date, datepart) -%}date_diff('{{ datepart }}', {{ first_date }}, {{ second_date }}){%- endmacro %}
{% macro bigquery__datediff(first_date, second_date, datepart) -%}datetime_diff(cast({{ second_date }} as datetime), cast({{ first_date }} as datetime), {{ datepart }}){%- endmacro %}
{% macro safe_cast(field, type) -%}{{ adapter.dispatch('safe_cast', 'dbt')(field, type) }}{%- endmacro %}
{% macro default__safe_cast(field, type) -%}try_cast({{ field }} as {{ type }}){%- endmacro %}
{% macro bigquery__safe_cast(field, type) -%}safe_cast({{ field }} as {{ type }}){%- endmacro %}
`,
  },
];
