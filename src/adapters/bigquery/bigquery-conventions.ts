import type { AdapterConventions } from '../contract.js';
import { bigqueryMacroFiles } from './bigquery-macros.js';

/** BigQuery's types as DuckDB spells them, for unit tests' given rows (unknown types are left to inference). */
const AS_DUCKDB: Record<string, string> = { STRING: 'VARCHAR', INT64: 'BIGINT', FLOAT64: 'DOUBLE', BOOL: 'BOOLEAN', NUMERIC: 'DECIMAL(38, 9)', BIGNUMERIC: 'DOUBLE', TIMESTAMP: 'TIMESTAMP', DATETIME: 'TIMESTAMP', DATE: 'DATE', TIME: 'TIME', BYTES: 'BLOB', JSON: 'VARCHAR' };

/** BigQuery without its client: macros, dbt-bigquery's BigQueryColumn, profile aliases, dataset URIs. */
export const bigqueryConventions: AdapterConventions = {
  type: 'bigquery',
  macroFiles: bigqueryMacroFiles,
  column: {
    labels: { TEXT: 'STRING', FLOAT: 'FLOAT64', INTEGER: 'INT64' },
    stringType: () => 'STRING',
    quote: (name) => `\`${name}\``,
  },
  // dbt-bigquery: `dataset` is an alias of `schema`, `project` of `database`.
  targetNames: (settings) => {
    const database = settings.database ?? settings.project;
    return { schema: String(settings.schema ?? settings.dataset ?? ''), ...(database !== undefined ? { database: String(database) } : {}) };
  },
  unitTestTypes: AS_DUCKDB,
  relationUri: (relation, target) => {
    const database = relation.database ?? target.database ?? (typeof target.settings.project === 'string' ? target.settings.project : '');
    return `bigquery://${database}/${relation.schema}/${relation.identifier}`;
  },
  lineageDialect: 'bigquery',
};
