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
    // dbt's catalog macros as dbt-bigquery answers them (a row per column: table_database, table_schema,
    // table_name, table_type — table, view, materialized view or external —, table_comment, column_name,
    // column_index, column_type, column_comment), read from each dataset's INFORMATION_SCHEMA.TABLES, COLUMNS and
    // TABLE_OPTIONS; names compared without case; a relation without an identifier stands for its whole dataset,
    // as on DuckDB. Nested fields are not listed one by one, nor date shards merged, nor table statistics given.
    path: 'strata/adapters/bigquery/catalog.sql',
    contents: `{% macro bigquery__get_catalog(information_schema, schemas) -%}
{%- set wanted = [] -%}{%- for s in schemas -%}{%- do wanted.append((information_schema.database, s, none)) -%}{%- endfor -%}
{{ return(run_query(strata_bigquery_catalog_sql(wanted))) }}
{%- endmacro %}
{% macro bigquery__get_catalog_relations(information_schema, relations) -%}
{%- set wanted = [] -%}
{%- for r in relations -%}
{%- if not r.schema -%}{{ exceptions.raise_compiler_error('get_catalog_relations needs relations that each have a schema (a dataset)') }}{%- endif -%}
{%- do wanted.append((r.database or information_schema.database, r.schema, r.identifier)) -%}
{%- endfor -%}
{{ return(run_query(strata_bigquery_catalog_sql(wanted))) }}
{%- endmacro %}
{% macro strata_bigquery_catalog_sql(wanted) -%}
{%- if not wanted -%}select 1 as id limit 0{%- else -%}
{%- set datasets = {} -%}
{%- for database, schema, identifier in wanted -%}
{%- set key = database ~ '.' ~ (schema | lower) -%}
{%- if key not in datasets -%}{%- do datasets.update({key: {'database': database, 'schema': schema, 'tables': [], 'all': false}}) -%}{%- endif -%}
{%- if identifier -%}{%- do datasets[key]['tables'].append("upper(t.table_name) = upper('" ~ identifier ~ "')") -%}{%- else -%}{%- do datasets[key].update({'all': true}) -%}{%- endif -%}
{%- endfor -%}
select * from (
{%- for d in datasets.values() %}
{%- set info = '\`' ~ d['database'] ~ '\`.\`' ~ d['schema'] ~ '\`.INFORMATION_SCHEMA.' %}
select t.table_catalog as table_database, t.table_schema, t.table_name,
  case t.table_type when 'VIEW' then 'view' when 'MATERIALIZED VIEW' then 'materialized view' when 'EXTERNAL' then 'external' else 'table' end as table_type,
  json_value(o.option_value) as table_comment,
  c.column_name, c.ordinal_position as column_index, c.data_type as column_type, cast(null as string) as column_comment
from {{ info }}TABLES as t
join {{ info }}COLUMNS as c on c.table_name = t.table_name
left join {{ info }}TABLE_OPTIONS as o on o.table_name = t.table_name and o.option_name = 'description'
where {{ 'true' if d['all'] else '(' ~ (d['tables'] | join(' or ')) ~ ')' }}
{%- if not loop.last %}
union all{% endif %}
{%- endfor %}
)
order by table_schema, table_name, column_index
{%- endif -%}
{%- endmacro %}
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
