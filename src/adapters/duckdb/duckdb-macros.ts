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
];
