/**
 * How the analyzer is configured to behave as BigQuery: external product mode, every released language
 * feature (not the ones that disable something, test-only or Spanner's), every statement kind, and the
 * OPTIONS(...) names BigQuery knows, typed, with unknown names refused.
 */
import type { ZetaSql } from './zetasql-service.js';
import { scalarType, type TypeProto } from './bigquery-types.js';

const ANY: TypeProto | undefined = undefined;
const STR = scalarType('STRING');
const BOOL = scalarType('BOOL');
const INT = scalarType('INT64');
const FLOAT = scalarType('FLOAT64');
const TS = scalarType('TIMESTAMP');
const STRINGS: TypeProto = { type_kind: 'TYPE_ARRAY', array_type: { element_type: STR } };

/** OPTIONS(...) of tables, views, external tables, datasets and columns in BigQuery's DDL reference. */
export const KNOWN_OPTIONS: Record<string, TypeProto | undefined> = {
  description: STR, friendly_name: STR, labels: ANY, tags: ANY, expiration_timestamp: TS, partition_expiration_days: FLOAT,
  require_partition_filter: BOOL, kms_key_name: STR, default_rounding_mode: STR, enable_change_history: BOOL, max_staleness: ANY,
  enable_fine_grained_mutations: BOOL, storage_uri: STR, file_format: STR, table_format: STR, privacy_policy: ANY,
  enable_refresh: BOOL, refresh_interval_minutes: FLOAT, allow_non_incremental_definition: BOOL,
  // External tables.
  format: STR, uris: STRINGS, hive_partition_uri_prefix: STR, require_hive_partition_filter: BOOL, skip_leading_rows: INT,
  field_delimiter: STR, allow_jagged_rows: BOOL, allow_quoted_newlines: BOOL, quote: STR, encoding: STR, null_marker: STR,
  ignore_unknown_values: BOOL, max_bad_records: INT, compression: STR, enable_list_inference: BOOL, enable_logical_types: BOOL,
  preserve_ascii_control_characters: BOOL, decimal_target_types: STRINGS, json_extension: STR, metadata_cache_mode: STR,
  object_metadata: STR, reference_file_schema_uri: STR, sheet_range: STR, projection_fields: STRINGS, column_name_character_map: STR,
  // Datasets.
  default_table_expiration_days: FLOAT, default_partition_expiration_days: FLOAT, location: STR, max_time_travel_hours: INT,
  default_kms_key_name: STR, is_case_insensitive: BOOL, storage_billing_model: STR, default_collation: STR, primary_replica: STR,
  is_primary: BOOL, failover_reservation: STR,
  // Columns.
  rounding_mode: STR, data_policies: ANY,
};

export interface AnalyzerSettings {
  languageOptions: Record<string, unknown>;
  analyzerOptions(parameters: { name: string; type: TypeProto }[]): Record<string, unknown>;
}

/**
 * The language and analyzer options, from the enum values the loaded protos define. FEATURE_DISALLOW_GROUP_BY_FLOAT
 * stays off: BigQuery groups FLOAT64 in GROUP BY and DISTINCT (NaNs together, 0 with -0; data-types#groupable_data_types),
 * and the analyzer still refuses a window's PARTITION BY of FLOAT64, as BigQuery does.
 */
export function analyzerSettings(zs: ZetaSql): AnalyzerSettings {
  const features = zs.enumValues('zetasql.LanguageFeature').filter((n) => n.startsWith('FEATURE_') && !/DISABLE_|TEST_|DEPRECATED|SPANNER|DISALLOW_/.test(n));
  const kinds = zs.enumValues('zetasql.ResolvedNodeKind').filter((k) => k.endsWith('_STMT'));
  const languageOptions = { product_mode: 'PRODUCT_EXTERNAL', name_resolution_mode: 'NAME_RESOLUTION_DEFAULT', enabled_language_features: features, supported_statement_kinds: kinds };
  const option = Object.entries(KNOWN_OPTIONS).map(([name, type]) => ({ name, ...(type ? { type } : {}) }));
  return {
    languageOptions,
    analyzerOptions: (parameters) => ({
      language_options: languageOptions,
      error_message_mode: 'ERROR_MESSAGE_ONE_LINE',
      parameter_mode: 'PARAMETER_NAMED',
      query_parameters: parameters.map((p) => ({ name: p.name, type: p.type })),
      allowed_hints_and_options: { disallow_unknown_options: true, option },
      default_timezone: 'UTC',
      // Byte ranges of expressions, so the translation can find the operands whose types it needs (typed-sites.ts).
      parse_location_record_type: 'PARSE_LOCATION_RECORD_FULL_NODE_SCOPE',
    }),
  };
}
