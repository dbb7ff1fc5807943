import type { MacroFile } from './types.js';
import { materializationMacroFile } from './builtin-materialization-macros.js';
import { crossDbMacroFiles } from './cross-db-macro-files.js';
import { incrementalMacroFile } from './builtin-incremental-macros.js';
import { schemaChangeMacroFile } from './builtin-schema-change-macros.js';

/**
 * dbt's global-project macros that projects commonly override, with dbt's default behaviour.
 * Package `dbt`: a project macro of the same name wins; `dbt.<name>()` reaches these explicitly.
 */
export const builtinMacroFiles: MacroFile[] = [
  materializationMacroFile,
  incrementalMacroFile,
  schemaChangeMacroFile,
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
{% macro get_catalog_relations(information_schema, relations) -%}{{ return(adapter.dispatch('get_catalog_relations', 'dbt')(information_schema, relations)) }}{%- endmacro %}
{% macro default__get_catalog_relations(information_schema, relations) -%}{{ exceptions.raise_compiler_error('get_catalog_relations not implemented for ' ~ adapter.type()) }}{%- endmacro %}
{% macro get_catalog(information_schema, schemas) -%}{{ return(adapter.dispatch('get_catalog', 'dbt')(information_schema, schemas)) }}{%- endmacro %}
{% macro default__get_catalog(information_schema, schemas) -%}{{ exceptions.raise_compiler_error('get_catalog not implemented for ' ~ adapter.type()) }}{%- endmacro %}
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
  ...crossDbMacroFiles,
];
