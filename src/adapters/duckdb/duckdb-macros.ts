import type { AdapterMacroFile } from '../contract.js';

/**
 * DuckDB (dbt-duckdb)'s versions of dbt's cross-database macros (`duckdb__<name>`), which `adapter.dispatch` picks on a
 * target of this type. The dispatching macros and the `default__` versions are the template engine's own.
 */
export const duckdbMacroFiles: AdapterMacroFile[] = [
  {
    path: 'strata/adapters/duckdb/cross-db.sql',
    contents: `{% macro duckdb__datediff(first_date, second_date, datepart) -%}date_diff('{{ datepart }}', ({{ first_date }})::timestamp, ({{ second_date }})::timestamp){%- endmacro %}
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
];
