import type { AdapterMacroFile } from '../contract.js';

/**
 * DuckDB (dbt-duckdb)'s versions of dbt's cross-database macros (`duckdb__<name>`), which `adapter.dispatch` picks on a
 * target of this type. The dispatching macros and the `default__` versions are the template engine's own.
 */
export const duckdbMacroFiles: AdapterMacroFile[] = [
  {
    path: 'strata/adapters/duckdb/cross-db.sql',
    // As dbt-duckdb's: now() (a bare current_timestamp would bind to a column of that name in the same select);
    // datediff counts boundaries crossed, and weeks start on Sunday (DuckDB's own 'week' counts whole 7-day spans,
    // and its week boundary is Monday), as dbt's other warehouses count them; generate_series is DuckDB's;
    // split_part is an element of string_split's list: null past either end (DuckDB's split_part gives ''), from the end when negative.
    contents: `{% macro duckdb__current_timestamp() -%}now(){%- endmacro %}
{% macro duckdb__datediff(first_date, second_date, datepart) -%}
{%- if datepart | lower == 'week' -%}(date_diff('day', date_trunc('week', ({{ first_date }})::timestamp + interval 1 day), date_trunc('week', ({{ second_date }})::timestamp + interval 1 day)) // 7)
{%- else -%}date_diff('{{ datepart }}', ({{ first_date }})::timestamp, ({{ second_date }})::timestamp)
{%- endif -%}
{%- endmacro %}
{% macro duckdb__split_part(string_text, delimiter_text, part_number) -%}string_split({{ string_text }}, {{ delimiter_text }})[{{ part_number }}]{%- endmacro %}
{% macro duckdb__date(year, month, day) -%}make_date({{ year }}, {{ month }}, {{ day }}){%- endmacro %}
{% macro duckdb__generate_series(upper_bound) -%}select g.n as generated_number from generate_series(1, {{ upper_bound }}) as g(n){%- endmacro %}
`,
  },
  {
    // dbt-duckdb's on-run-start hook for external models outside the selection: it makes their views over
    // their files, which an in-memory database lacks. Strata keeps an external model's view in the database
    // it was built in, so the hook has nothing to do (a fresh database builds the model, or selects it).
    path: 'strata/adapters/duckdb/external.sql',
    contents: `{% macro register_upstream_external_models() -%}{%- endmacro %}
`,
  },
  {
    // DuckDB keeps temporary tables in its temp catalog: a temporary relation is "temp"."main"."<name>", which
    // DDL, queries and the catalog (columns, existence) all name alike.
    path: 'strata/adapters/duckdb/relations.sql',
    contents: `{% macro duckdb__make_temp_relation(base_relation, suffix) -%}{{ return(base_relation.incorporate(path={"identifier": base_relation.identifier ~ suffix, "schema": "main", "database": "temp"})) }}{%- endmacro %}
{% macro duckdb__create_table_as(temporary, relation, sql, language='sql') -%}create {% if temporary %}temporary {% endif %}table {{ relation }} as ({{ sql }}){%- endmacro %}
`,
  },
  {
    // dbt-duckdb's default incremental strategy, for a custom strategy that wraps it: delete+insert (an append
    // without a unique_key).
    path: 'strata/adapters/duckdb/incremental.sql',
    contents: `{% macro duckdb__get_incremental_default_sql(arg_dict) -%}{{ return(get_incremental_delete_insert_sql(arg_dict)) }}{%- endmacro %}
`,
  },
  {
    // dbt's catalog macros as dbt-duckdb answers them: one row per column of each table or view of the
    // information schema's database, in the schemas (get_catalog) or relations (get_catalog_relations) asked
    // for, names compared without case; a relation without an identifier stands for its whole schema.
    path: 'strata/adapters/duckdb/catalog.sql',
    contents: `{% macro duckdb__get_catalog(information_schema, schemas) -%}
{%- set wanted = [] -%}{%- for s in schemas -%}{%- do wanted.append("upper(table_schema) = upper('" ~ s ~ "')") -%}{%- endfor -%}
{{ return(run_query(strata_duckdb_catalog_sql(information_schema, wanted))) }}
{%- endmacro %}
{% macro duckdb__get_catalog_relations(information_schema, relations) -%}
{%- set wanted = [] -%}
{%- for r in relations -%}
{%- if not r.schema -%}{{ exceptions.raise_compiler_error('get_catalog_relations needs relations that each have a schema') }}{%- endif -%}
{%- do wanted.append("(upper(table_schema) = upper('" ~ r.schema ~ "')" ~ (" and upper(table_name) = upper('" ~ r.identifier ~ "')" if r.identifier else "") ~ ")") -%}
{%- endfor -%}
{{ return(run_query(strata_duckdb_catalog_sql(information_schema, wanted))) }}
{%- endmacro %}
{% macro strata_duckdb_catalog_sql(information_schema, wanted) -%}
with relations as (
  select database_name as table_database, schema_name as table_schema, table_name, 'BASE TABLE' as table_type, comment as table_comment from duckdb_tables()
  union all
  select database_name, schema_name, view_name, 'VIEW', comment from duckdb_views() where not internal
), cols as (
  select database_name as table_database, schema_name as table_schema, table_name, column_name, column_index, data_type as column_type, comment as column_comment from duckdb_columns()
)
select r.table_database, r.table_schema, r.table_name, r.table_type, r.table_comment, c.column_name, c.column_index, c.column_type, c.column_comment, null as table_owner
from relations r join cols c using (table_database, table_schema, table_name)
where upper(r.table_database) = upper('{{ information_schema.database }}')
  and ({{ wanted | join(' or ') if wanted else 'false' }})
order by r.table_schema, r.table_name, c.column_index
{%- endmacro %}
`,
  },
];
