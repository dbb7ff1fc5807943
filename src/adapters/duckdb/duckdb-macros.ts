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
];
