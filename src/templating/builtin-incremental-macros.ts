import type { MacroFile } from './types.js';

/**
 * dbt's global-project macros of the incremental strategies, for a project's custom strategy
 * (`incremental_strategy='insert_only'` runs its macro `get_incremental_insert_only_sql(arg_dict)`) and the
 * dbt macros such a macro builds on: `get_merge_sql`, `get_delete_insert_merge_sql`, `get_insert_into_sql`,
 * `get_quoted_csv`, `get_merge_update_columns`, and `get_incremental_<built-in>_sql` of each built-in strategy
 * (a custom strategy often wraps one). Strata's own strategies do not go through these: they are in the
 * warehouse's dialect. Written for Strata after dbt's documented behaviour: a merge on the key (or on FALSE
 * without one), a delete of the keys present in the new rows before their insert, `incremental_predicates`
 * added to the match. Package `dbt`, dispatched as dbt's are, so a project may override each one.
 */
export const incrementalMacroFile: MacroFile = {
  path: 'strata/builtins/incremental-strategies.sql',
  packageName: 'dbt',
  contents: `{% macro get_quoted_csv(column_names) -%}
{%- set quoted = [] -%}
{%- for name in column_names -%}{%- do quoted.append(adapter.quote(name)) -%}{%- endfor -%}
{{ return(quoted | join(', ')) }}
{%- endmacro %}
{% macro get_merge_update_columns(merge_update_columns, merge_exclude_columns, dest_columns) -%}
{{ return(adapter.dispatch('get_merge_update_columns', 'dbt')(merge_update_columns, merge_exclude_columns, dest_columns)) }}
{%- endmacro %}
{% macro default__get_merge_update_columns(merge_update_columns, merge_exclude_columns, dest_columns) -%}
{%- if merge_update_columns and merge_exclude_columns -%}
{{ exceptions.raise_compiler_error('Model cannot specify merge_update_columns and merge_exclude_columns. Please update model to use only one config') }}
{%- elif merge_update_columns -%}
{{ return(merge_update_columns) }}
{%- elif merge_exclude_columns -%}
{%- set excluded = [] -%}
{%- for name in merge_exclude_columns -%}{%- do excluded.append(name | lower) -%}{%- endfor -%}
{%- set kept = [] -%}
{%- for column in dest_columns if column.name | lower not in excluded -%}{%- do kept.append(column.quoted) -%}{%- endfor -%}
{{ return(kept) }}
{%- else -%}
{{ return(dest_columns | map(attribute='quoted') | list) }}
{%- endif -%}
{%- endmacro %}
{% macro get_merge_sql(target, source, unique_key, dest_columns, incremental_predicates=none) -%}
{{ adapter.dispatch('get_merge_sql', 'dbt')(target, source, unique_key, dest_columns, incremental_predicates) }}
{%- endmacro %}
{% macro default__get_merge_sql(target, source, unique_key, dest_columns, incremental_predicates=none) -%}
{%- set conditions = [] if incremental_predicates is none or incremental_predicates == '' else ([incremental_predicates] if incremental_predicates is string else incremental_predicates | list) -%}
{%- set keys = [] if not unique_key else ([unique_key] if unique_key is string else unique_key | list) -%}
{%- for key in keys -%}{%- do conditions.append('DBT_INTERNAL_SOURCE.' ~ key ~ ' = DBT_INTERNAL_DEST.' ~ key) -%}{%- endfor -%}
{%- if not keys -%}{%- do conditions.append('FALSE') -%}{%- endif -%}
{%- set update_columns = get_merge_update_columns(config.get('merge_update_columns'), config.get('merge_exclude_columns'), dest_columns) -%}
{%- set names = dest_columns | map(attribute='name') | list -%}
merge into {{ target }} as DBT_INTERNAL_DEST
using {{ source }} as DBT_INTERNAL_SOURCE
on ({{ conditions | join(') and (') }})
{%- if keys %}
when matched then update set
    {% for column in update_columns -%}{{ column }} = DBT_INTERNAL_SOURCE.{{ column }}{{ ', ' if not loop.last }}{%- endfor %}
{%- endif %}
when not matched then insert ({{ get_quoted_csv(names) }})
values ({% for name in names %}DBT_INTERNAL_SOURCE.{{ adapter.quote(name) }}{{ ', ' if not loop.last }}{% endfor %})
{%- endmacro %}
{% macro get_delete_insert_merge_sql(target, source, unique_key, dest_columns, incremental_predicates=none) -%}
{{ adapter.dispatch('get_delete_insert_merge_sql', 'dbt')(target, source, unique_key, dest_columns, incremental_predicates) }}
{%- endmacro %}
{% macro default__get_delete_insert_merge_sql(target, source, unique_key, dest_columns, incremental_predicates=none) -%}
{%- set keys = [] if not unique_key else ([unique_key] if unique_key is string else unique_key | list) -%}
{%- set predicates = [] if incremental_predicates is none or incremental_predicates == '' else ([incremental_predicates] if incremental_predicates is string else incremental_predicates | list) -%}
{%- set columns_csv = get_quoted_csv(dest_columns | map(attribute='name')) -%}
{%- if keys -%}
delete from {{ target }} as DBT_INTERNAL_DEST
where ({{ keys | join(', ') }}) in (select {{ keys | join(', ') }} from {{ source }})
{%- for predicate in predicates %}
    and ({{ predicate }})
{%- endfor %};
{% endif -%}
insert into {{ target }} ({{ columns_csv }})
select {{ columns_csv }} from {{ source }}
{%- endmacro %}
{% macro get_insert_into_sql(target_relation, temp_relation, dest_columns) -%}
{%- set columns_csv = get_quoted_csv(dest_columns | map(attribute='name')) -%}
insert into {{ target_relation }} ({{ columns_csv }})
select {{ columns_csv }} from {{ temp_relation }}
{%- endmacro %}
{% macro get_incremental_append_sql(arg_dict) -%}{{ return(adapter.dispatch('get_incremental_append_sql', 'dbt')(arg_dict)) }}{%- endmacro %}
{% macro default__get_incremental_append_sql(arg_dict) -%}
{{ return(get_insert_into_sql(arg_dict['target_relation'], arg_dict['temp_relation'], arg_dict['dest_columns'])) }}
{%- endmacro %}
{% macro get_incremental_delete_insert_sql(arg_dict) -%}{{ return(adapter.dispatch('get_incremental_delete_insert_sql', 'dbt')(arg_dict)) }}{%- endmacro %}
{% macro default__get_incremental_delete_insert_sql(arg_dict) -%}
{{ return(get_delete_insert_merge_sql(arg_dict['target_relation'], arg_dict['temp_relation'], arg_dict['unique_key'], arg_dict['dest_columns'], arg_dict['incremental_predicates'])) }}
{%- endmacro %}
{% macro get_incremental_merge_sql(arg_dict) -%}{{ return(adapter.dispatch('get_incremental_merge_sql', 'dbt')(arg_dict)) }}{%- endmacro %}
{% macro default__get_incremental_merge_sql(arg_dict) -%}
{{ return(get_merge_sql(arg_dict['target_relation'], arg_dict['temp_relation'], arg_dict['unique_key'], arg_dict['dest_columns'], arg_dict['incremental_predicates'])) }}
{%- endmacro %}
{% macro get_incremental_default_sql(arg_dict) -%}{{ return(adapter.dispatch('get_incremental_default_sql', 'dbt')(arg_dict)) }}{%- endmacro %}
{% macro default__get_incremental_default_sql(arg_dict) -%}{{ return(get_incremental_append_sql(arg_dict)) }}{%- endmacro %}
`,
};
