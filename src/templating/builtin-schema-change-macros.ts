import type { MacroFile } from './types.js';

/**
 * dbt's global-project macros for an incremental model's schema changes, as a copy of dbt's incremental
 * materialization calls them in a project's `{% materialization %}` block: `incremental_validate_on_schema_change`,
 * `process_schema_changes` (nothing for `ignore`; the new rows' columns otherwise, the table changed first as
 * `append_new_columns` / `sync_all_columns` say, or a compiler error for `fail`), `check_for_schema_changes`,
 * `diff_columns`, `diff_column_data_types`, `sync_column_schemas`, `alter_relation_add_remove_columns` and
 * `alter_column_type`. Strata's own incremental models change their tables in on-schema-change.ts. Written for
 * Strata after dbt's documented behaviour; names are compared without case. Package `dbt`.
 */
export const schemaChangeMacroFile: MacroFile = {
  path: 'strata/builtins/schema-changes.sql',
  packageName: 'dbt',
  contents: `{% macro incremental_validate_on_schema_change(on_schema_change, default='ignore') -%}
{%- if on_schema_change not in ['sync_all_columns', 'append_new_columns', 'fail', 'ignore'] -%}
{%- do log('Invalid value for on_schema_change (' ~ on_schema_change ~ ') specified. Setting default value of ' ~ default ~ '.') -%}
{{ return(default) }}
{%- endif -%}
{{ return(on_schema_change) }}
{%- endmacro %}
{% macro diff_columns(source_columns, target_columns) -%}
{%- set target_names = [] -%}
{%- for column in target_columns -%}{%- do target_names.append(column.name | lower) -%}{%- endfor -%}
{%- set missing = [] -%}
{%- for column in source_columns if column.name | lower not in target_names -%}{%- do missing.append(column) -%}{%- endfor -%}
{{ return(missing) }}
{%- endmacro %}
{% macro diff_column_data_types(source_columns, target_columns) -%}
{%- set target_types = {} -%}
{%- for column in target_columns -%}{%- do target_types.update({column.name | lower: column.data_type}) -%}{%- endfor -%}
{%- set changed = [] -%}
{%- for column in source_columns if column.name | lower in target_types and target_types[column.name | lower] | lower != column.data_type | lower -%}
{%- do changed.append({'column_name': column.name, 'new_type': column.data_type}) -%}
{%- endfor -%}
{{ return(changed) }}
{%- endmacro %}
{% macro check_for_schema_changes(source_relation, target_relation) -%}
{%- set source_columns = adapter.get_columns_in_relation(source_relation) -%}
{%- set target_columns = adapter.get_columns_in_relation(target_relation) -%}
{%- set source_not_in_target = diff_columns(source_columns, target_columns) -%}
{%- set target_not_in_source = diff_columns(target_columns, source_columns) -%}
{%- set new_target_types = diff_column_data_types(source_columns, target_columns) -%}
{{ return({
  'schema_changed': (source_not_in_target | length > 0) or (target_not_in_source | length > 0) or (new_target_types | length > 0),
  'source_not_in_target': source_not_in_target,
  'target_not_in_source': target_not_in_source,
  'source_columns': source_columns,
  'target_columns': target_columns,
  'new_target_types': new_target_types,
}) }}
{%- endmacro %}
{% macro alter_relation_add_remove_columns(relation, add_columns=none, remove_columns=none) -%}
{{ return(adapter.dispatch('alter_relation_add_remove_columns', 'dbt')(relation, add_columns, remove_columns)) }}
{%- endmacro %}
{% macro default__alter_relation_add_remove_columns(relation, add_columns, remove_columns) -%}
{%- for column in add_columns or [] -%}
{%- call statement('add_column') -%}alter table {{ relation }} add column {{ adapter.quote(column.name) }} {{ column.data_type }}{%- endcall -%}
{%- endfor -%}
{%- for column in remove_columns or [] -%}
{%- call statement('remove_column') -%}alter table {{ relation }} drop column {{ adapter.quote(column.name) }}{%- endcall -%}
{%- endfor -%}
{%- endmacro %}
{% macro alter_column_type(relation, column_name, new_column_type) -%}
{{ return(adapter.dispatch('alter_column_type', 'dbt')(relation, column_name, new_column_type)) }}
{%- endmacro %}
{% macro default__alter_column_type(relation, column_name, new_column_type) -%}
{%- call statement('alter_column_type') -%}alter table {{ relation }} alter column {{ adapter.quote(column_name) }} type {{ new_column_type }}{%- endcall -%}
{%- endmacro %}
{% macro sync_column_schemas(on_schema_change, target_relation, schema_changes_dict) -%}
{%- set add_to_target = schema_changes_dict['source_not_in_target'] -%}
{%- if on_schema_change == 'append_new_columns' -%}
{%- if add_to_target -%}{%- do alter_relation_add_remove_columns(target_relation, add_to_target, none) -%}{%- endif -%}
{%- elif on_schema_change == 'sync_all_columns' -%}
{%- set remove_from_target = schema_changes_dict['target_not_in_source'] -%}
{%- if add_to_target or remove_from_target -%}{%- do alter_relation_add_remove_columns(target_relation, add_to_target, remove_from_target) -%}{%- endif -%}
{%- for change in schema_changes_dict['new_target_types'] -%}{%- do alter_column_type(target_relation, change['column_name'], change['new_type']) -%}{%- endfor -%}
{%- endif -%}
{%- endmacro %}
{% macro process_schema_changes(on_schema_change, source_relation, target_relation) -%}
{%- if on_schema_change == 'ignore' -%}{{ return({}) }}{%- endif -%}
{%- set changes = check_for_schema_changes(source_relation, target_relation) -%}
{%- if changes['schema_changed'] -%}
{%- if on_schema_change == 'fail' -%}
{{ exceptions.raise_compiler_error("The source and target schemas on this incremental model are out of sync! They can be reconciled in several ways: set the \`on_schema_change\` config to either append_new_columns or sync_all_columns, depending on your situation, or re-run the incremental model with \`full_refresh: True\` to update the target schema. Alternatively, you can update the schema manually and re-run the process.") }}
{%- endif -%}
{%- do sync_column_schemas(on_schema_change, target_relation, changes) -%}
{%- endif -%}
{{ return(changes['source_columns']) }}
{%- endmacro %}
`,
};
