import type { MacroFile } from './types.js';
import { materializationMacroFile } from './builtin-materialization-macros.js';

/**
 * dbt's global-project macros that projects commonly override, with dbt's default behaviour.
 * Package `dbt`: a project macro of the same name wins; `dbt.<name>()` reaches these explicitly.
 */
export const builtinMacroFiles: MacroFile[] = [
  materializationMacroFile,
  {
    // dbt's global-project relation macros, as packages call them (elementary: dbt.make_temp_relation,
    // dbt.get_create_table_as_sql…), built on the adapter methods Strata has. Strata's materializations are
    // its own; these serve templates. As dbt's, an intermediate relation is beside its base (never a temporary
    // one), and they create (never replace) a table or view: an existing one is an
    // error, not overwritten. Each warehouse's own versions (`duckdb__`, `bigquery__`) are in its adapter folder.
    path: 'strata/builtins/relations.sql',
    packageName: 'dbt',
    contents: `{% macro make_temp_relation(base_relation, suffix='__dbt_tmp') -%}{{ return(adapter.dispatch('make_temp_relation', 'dbt')(base_relation, suffix)) }}{%- endmacro %}
{% macro default__make_temp_relation(base_relation, suffix) -%}{{ return(base_relation.incorporate(path={"identifier": base_relation.identifier ~ suffix})) }}{%- endmacro %}
{% macro make_intermediate_relation(base_relation, suffix='__dbt_tmp') -%}{{ return(adapter.dispatch('make_intermediate_relation', 'dbt')(base_relation, suffix)) }}{%- endmacro %}
{% macro default__make_intermediate_relation(base_relation, suffix) -%}{{ return(dbt.default__make_temp_relation(base_relation, suffix)) }}{%- endmacro %}
{% macro make_backup_relation(base_relation, backup_relation_type, suffix='__dbt_backup') -%}{{ return(base_relation.incorporate(path={"identifier": base_relation.identifier ~ suffix}, type=backup_relation_type)) }}{%- endmacro %}
{% macro create_table_as(temporary, relation, compiled_code, language='sql') -%}{{ adapter.dispatch('create_table_as', 'dbt')(temporary, relation, compiled_code, language) }}{%- endmacro %}
{% macro default__create_table_as(temporary, relation, sql, language='sql') -%}create {% if temporary %}temporary {% endif %}table {{ relation }} as ({{ sql }}){%- endmacro %}
{% macro get_create_table_as_sql(temporary, relation, sql) -%}{{ return(dbt.create_table_as(temporary, relation, sql)) }}{%- endmacro %}
{% macro create_view_as(relation, sql) -%}{{ adapter.dispatch('create_view_as', 'dbt')(relation, sql) }}{%- endmacro %}
{% macro default__create_view_as(relation, sql) -%}create view {{ relation }} as ({{ sql }}){%- endmacro %}
{% macro get_create_view_as_sql(relation, sql) -%}{{ return(dbt.create_view_as(relation, sql)) }}{%- endmacro %}
{% macro get_or_create_relation(database, schema, identifier, type) -%}
{%- set found = adapter.get_relation(database=database, schema=schema, identifier=identifier) -%}
{%- if found -%}{{ return((true, found)) }}{%- endif -%}
{{ return((false, api.Relation.create(database=database, schema=schema, identifier=identifier, type=type))) }}
{%- endmacro %}
{% macro load_relation(relation) -%}{{ return(adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier)) }}{%- endmacro %}
{% macro load_cached_relation(relation) -%}{{ return(dbt.load_relation(relation)) }}{%- endmacro %}
{% macro truncate_relation(relation) -%}{% do adapter.truncate_relation(relation) %}{%- endmacro %}
{% macro drop_relation_if_exists(relation) -%}{% if relation is not none %}{% do adapter.drop_relation(relation) %}{% endif %}{%- endmacro %}
{% macro create_schema(relation) -%}{% do adapter.create_schema(relation) %}{%- endmacro %}
{% macro drop_schema(relation) -%}{% do adapter.drop_schema(relation) %}{%- endmacro %}
{% macro drop_schema_named(schema_name) -%}{{ return(adapter.dispatch('drop_schema_named', 'dbt')(schema_name)) }}{%- endmacro %}
{% macro default__drop_schema_named(schema_name) -%}{% do adapter.drop_schema(api.Relation.create(schema=schema_name)) %}{%- endmacro %}
`,
  },
  {
    path: 'strata/builtins/naming.sql',
    packageName: 'dbt',
    contents: `{% macro generate_schema_name(custom_schema_name, node) -%}
{%- set default_schema = target.schema -%}
{%- if custom_schema_name is none -%}{{ default_schema }}{%- else -%}{{ default_schema }}_{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
{% macro generate_alias_name(custom_alias_name=none, node=none) -%}
{%- if custom_alias_name -%}{{ custom_alias_name | trim }}{%- elif node.version -%}{{ node.name ~ "_v" ~ (node.version | string | replace(".", "_")) }}{%- else -%}{{ node.name }}{%- endif -%}
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
{% macro concat(fields) -%}{{ adapter.dispatch('concat', 'dbt')(fields) }}{%- endmacro %}
{% macro default__concat(fields) -%}{{ fields | join(' || ') }}{%- endmacro %}
{% macro type_string() -%}{{ adapter.dispatch('type_string', 'dbt')() }}{%- endmacro %}
{% macro default__type_string() -%}varchar{%- endmacro %}
{% macro type_int() -%}{{ adapter.dispatch('type_int', 'dbt')() }}{%- endmacro %}
{% macro default__type_int() -%}integer{%- endmacro %}
{% macro type_timestamp() -%}timestamp{%- endmacro %}
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
{% macro cast(field, type) -%}cast({{ field }} as {{ type }}){%- endmacro %}
{% macro current_timestamp_backcompat() -%}{{ return(adapter.dispatch('current_timestamp_backcompat', 'dbt')()) }}{%- endmacro %}
{% macro default__current_timestamp_backcompat() -%}cast({{ dbt.current_timestamp() }} as {{ dbt.type_timestamp() }}){%- endmacro %}
{% macro current_timestamp_in_utc_backcompat() -%}{{ return(adapter.dispatch('current_timestamp_in_utc_backcompat', 'dbt')()) }}{%- endmacro %}
{% macro default__current_timestamp_in_utc_backcompat() -%}{{ return(adapter.dispatch('current_timestamp_backcompat', 'dbt')()) }}{%- endmacro %}
{% macro any_value(expression) -%}any_value({{ expression }}){%- endmacro %}
{% macro bool_or(expression) -%}{{ adapter.dispatch('bool_or', 'dbt')(expression) }}{%- endmacro %}
{% macro default__bool_or(expression) -%}bool_or({{ expression }}){%- endmacro %}
{% macro cast_bool_to_text(field) -%}{{ adapter.dispatch('cast_bool_to_text', 'dbt')(field) }}{%- endmacro %}
{% macro default__cast_bool_to_text(field) -%}cast({{ field }} as varchar){%- endmacro %}
{% macro date_trunc(datepart, date) -%}{{ adapter.dispatch('date_trunc', 'dbt')(datepart, date) }}{%- endmacro %}
{% macro default__date_trunc(datepart, date) -%}date_trunc('{{ datepart }}', {{ date }}){%- endmacro %}
{% macro dateadd(datepart, interval, from_date_or_timestamp) -%}{{ adapter.dispatch('dateadd', 'dbt')(datepart, interval, from_date_or_timestamp) }}{%- endmacro %}
{% macro default__dateadd(datepart, interval, from_date_or_timestamp) -%}date_add({{ from_date_or_timestamp }}, interval ({{ interval }}) {{ datepart }}){%- endmacro %}
{% macro last_day(date, datepart) -%}cast({{ dbt.dateadd('day', '-1', dbt.dateadd(datepart, '1', dbt.date_trunc(datepart, date))) }} as date){%- endmacro %}
{% macro escape_single_quotes(expression) -%}{{ adapter.dispatch('escape_single_quotes', 'dbt')(expression) }}{%- endmacro %}
{% macro default__escape_single_quotes(expression) -%}{{ expression | replace("'", "''") }}{%- endmacro %}
{% macro string_literal(value) -%}'{{ value }}'{%- endmacro %}
{% macro except() -%}{{ adapter.dispatch('except', 'dbt')() }}{%- endmacro %}
{% macro default__except() -%}except{%- endmacro %}
{% macro intersect() -%}{{ adapter.dispatch('intersect', 'dbt')() }}{%- endmacro %}
{% macro default__intersect() -%}intersect{%- endmacro %}
{% macro length(expression) -%}length({{ expression }}){%- endmacro %}
{% macro position(substring_text, string_text) -%}{{ adapter.dispatch('position', 'dbt')(substring_text, string_text) }}{%- endmacro %}
{% macro default__position(substring_text, string_text) -%}position({{ substring_text }} in {{ string_text }}){%- endmacro %}
{% macro replace(field, old_chars, new_chars) -%}replace({{ field }}, {{ old_chars }}, {{ new_chars }}){%- endmacro %}
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
{% macro default__array_construct(inputs, data_type) -%}{% if inputs | length > 0 %}[{{ inputs | join(' , ') }}]{% else %}[]{% endif %}{%- endmacro %}
{% macro array_append(array, new_element) -%}{{ adapter.dispatch('array_append', 'dbt')(array, new_element) }}{%- endmacro %}
{% macro default__array_append(array, new_element) -%}list_append({{ array }}, {{ new_element }}){%- endmacro %}
{% macro array_concat(array_1, array_2) -%}{{ adapter.dispatch('array_concat', 'dbt')(array_1, array_2) }}{%- endmacro %}
{% macro default__array_concat(array_1, array_2) -%}list_concat({{ array_1 }}, {{ array_2 }}){%- endmacro %}
{% macro equals(expr1, expr2) -%}(({{ expr1 }} = {{ expr2 }}) or ({{ expr1 }} is null and {{ expr2 }} is null)){%- endmacro %}
`,
  },
];
