/**
 * A landing source's `external.options` on BigQuery: the load job's settings for the file's format, written as
 * in BigQuery's API (`fieldDelimiter`) or in snake_case as dbt-external-tables writes them (`field_delimiter`).
 * Strata sets the job's source, destination, format, write mode and hive partitioning itself, so those are
 * refused, and so is any name BigQuery's load job does not have (a DuckDB reader option such as
 * `union_by_name` left in a project moved to BigQuery): silently dropped, it would land the file differently.
 */
const ALLOWED = [
  'allowJaggedRows', 'allowQuotedNewlines', 'autodetect', 'columnNameCharacterMap', 'dateFormat', 'datetimeFormat',
  'decimalTargetTypes', 'encoding', 'fieldDelimiter', 'ignoreUnknownValues', 'jsonExtension', 'maxBadRecords',
  'nullMarker', 'nullMarkers', 'parquetOptions', 'preserveAsciiControlCharacters', 'quote', 'schema',
  'skipLeadingRows', 'sourceColumnMatch', 'timeFormat', 'timeZone', 'timestampFormat', 'useAvroLogicalTypes',
];
const SET_BY_STRATA = ['sourceUris', 'destinationTable', 'sourceFormat', 'writeDisposition', 'createDisposition', 'hivePartitioningOptions'];

const camel = (name: string): string => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The load job settings of `options` (keys in BigQuery's spelling); throws naming the first option BigQuery's load job cannot take. */
export function loadJobOptions(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    const name = camel(key);
    if (SET_BY_STRATA.includes(name)) throw new Error(`external option '${key}' is set by Strata's landing itself; remove it from the source's external.options`);
    if (!ALLOWED.includes(name)) throw new Error(`external option '${key}' is not a BigQuery load job setting (a DuckDB reader option?); on BigQuery the options are: ${ALLOWED.map(snake).join(', ')}`);
    out[name] = value;
  }
  return out;
}
