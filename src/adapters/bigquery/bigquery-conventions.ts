import type { AdapterConventions } from '../contract.js';
import { bigqueryMacroFiles } from './bigquery-macros.js';
import { DBT_BIGQUERY_MACRO_FILES } from './dbt-bigquery-macro-files.js';

/** BigQuery's types as DuckDB spells them, for unit tests' given rows (unknown types are left to inference). */
/** BigQuery without its client: macros, dbt-bigquery's BigQueryColumn, profile aliases, dataset URIs. */
export const bigqueryConventions: AdapterConventions = {
  type: 'bigquery',
  displayName: 'BigQuery',
  macroFiles: bigqueryMacroFiles,
  dbtMacroFiles: DBT_BIGQUERY_MACRO_FILES,
  column: {
    labels: { TEXT: 'STRING', FLOAT: 'FLOAT64', INTEGER: 'INT64' },
    stringType: () => 'STRING',
    quote: (name) => `\`${name}\``,
    // BigQueryColumn's: precision and scale left out; a literal is a cast.
    numericType: (dtype) => dtype,
    literal: (value, dtype) => `cast(${value} as ${dtype})`,
  },
  // dbt-bigquery: `dataset` is an alias of `schema`, `project` of `database`.
  targetNames: (settings) => {
    const database = settings.database ?? settings.project;
    return { schema: String(settings.schema ?? settings.dataset ?? ''), ...(database !== undefined ? { database: String(database) } : {}) };
  },
  relationUri: (relation, target) => {
    const database = relation.database ?? target.database ?? (typeof target.settings.project === 'string' ? target.settings.project : '');
    return `bigquery://${database}/${relation.schema}/${relation.identifier}`;
  },
  lineage: { grammar: 'bigquery', renamesRepeatedColumns: false },
  commands: [
    {
      name: 'bigquery-local',
      description: 'run a local BigQuery (every query checked by BigQuery\u2019s analyzer) and GCS on loopback, to develop and test a BigQuery project offline',
      options: [
        { flags: '--port <port>', description: 'BigQuery REST API port', default: 9050, port: true },
        { flags: '--gcs-port <port>', description: 'GCS JSON API port', default: 4443, port: true },
        { flags: '--data <dir>', description: 'keep tables\u2019 schemas and GCS objects in this folder across restarts' },
      ],
      // The emulator (and its analyzer) loads only when the command runs.
      run: async (flags, io) => (await import('./local/bigquery-local-command.js')).runBigQueryLocal(flags, io),
    },
  ],
};
