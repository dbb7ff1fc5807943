/**
 * Where dbt-duckdb defines its macros (package `dbt_duckdb` in dbt's manifest), and the macro names each file defines:
 * a list of names and paths only, made by reading that package's file layout (artifacts/dbt-macro-identity.ts).
 */
export const DBT_DUCKDB_MACRO_FILES: Record<string, string[]> = {
  'macros/adapters.sql': 'create_table_as drop_indexes_on_relation duckdb__alter_table_set_partitioned_by duckdb__alter_table_set_sorted_by duckdb__apply_grants duckdb__check_schema_exists duckdb__create_schema duckdb__create_table_as duckdb__create_view_as duckdb__current_timestamp duckdb__dispatch_temporary_relation duckdb__drop_relation duckdb__drop_schema duckdb__get_columns_in_relation duckdb__get_create_index_sql duckdb__get_incremental_default_sql duckdb__get_partitioned_by duckdb__get_sorted_by duckdb__list_relations_without_caching duckdb__list_schemas duckdb__make_temp_relation duckdb__rename_relation duckdb__snapshot_get_time duckdb__snapshot_string_as_time get_column_names location_exists py_write_table render_write_options store_relation write_to_file'.split(' '),
  'macros/catalog.sql': 'duckdb__get_catalog duckdb__get_catalog_columns_sql duckdb__get_catalog_relations duckdb__get_catalog_relations_where_clause_sql duckdb__get_catalog_results_sql duckdb__get_catalog_schemas_where_clause_sql duckdb__get_catalog_tables_sql'.split(' '),
  'macros/columns.sql': 'duckdb__alter_relation_add_remove_columns'.split(' '),
  'macros/materializations/external.sql': 'materialization_external_duckdb'.split(' '),
  'macros/materializations/hooks.sql': 'run_hooks'.split(' '),
  'macros/materializations/incremental.sql': 'materialization_incremental_duckdb'.split(' '),
  'macros/materializations/incremental_strategy/delete_insert.sql': 'duckdb__get_delete_insert_merge_sql'.split(' '),
  'macros/materializations/incremental_strategy/merge.sql': 'duckdb__get_incremental_merge_sql duckdb__get_merge_sql duckdb__merge_join_clause'.split(' '),
  'macros/materializations/incremental_strategy/merge_config_validation.sql': 'validate_ducklake_restrictions validate_merge_clause_list validate_merge_clauses validate_merge_config'.split(' '),
  'macros/materializations/incremental_strategy/merge_defaults.sql': 'merge_clause_defaults'.split(' '),
  'macros/materializations/incremental_strategy/microbatch.sql': 'duckdb__get_incremental_microbatch_sql'.split(' '),
  'macros/materializations/incremental_strategy/validation_helper.sql': 'normalize_incremental_predicates validate_dict_field validate_string_field validate_string_list_field'.split(' '),
  'macros/materializations/table.sql': 'materialization_table_duckdb'.split(' '),
  'macros/materializations/table_function.sql': 'materialization_table_function_duckdb'.split(' '),
  'macros/persist_docs.sql': 'duckdb__alter_column_comment duckdb__alter_relation_comment duckdb_escape_comment'.split(' '),
  'macros/seed.sql': 'duckdb__get_batch_size duckdb__get_binding_char duckdb__load_csv_rows'.split(' '),
  'macros/snapshot_helper.sql': 'build_snapshot_staging_table duckdb__post_snapshot duckdb__snapshot_merge_sql'.split(' '),
  'macros/utils/any_value.sql': 'duckdb__any_value'.split(' '),
  'macros/utils/date.sql': 'duckdb__date'.split(' '),
  'macros/utils/dateadd.sql': 'duckdb__dateadd'.split(' '),
  'macros/utils/datediff.sql': 'duckdb__datediff'.split(' '),
  'macros/utils/external_location.sql': 'external_location'.split(' '),
  'macros/utils/generate_series.sql': 'duckdb__generate_series'.split(' '),
  'macros/utils/lastday.sql': 'duckdb__last_day'.split(' '),
  'macros/utils/listagg.sql': 'duckdb__listagg'.split(' '),
  'macros/utils/normalize.sql': 'normalize_string_or_list'.split(' '),
  'macros/utils/splitpart.sql': 'duckdb__split_part'.split(' '),
  'macros/utils/upstream.sql': 'register_upstream_external_models'.split(' '),
};
