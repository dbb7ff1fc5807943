/**
 * A query job on the local BigQuery: the SQL through the analyzer gate, then executed on the server's
 * DuckDB (execute-job.ts), then its effects on the catalog (schemas from the analyzer, row counts from
 * the data), its statistics and, for a SELECT, its rows (INFORMATION_SCHEMA: from the catalog). Dry runs
 * are analyzed the same way and change nothing.
 */
import type { ZetaSql } from './zetasql-service.js';
import type { AnalyzerSettings } from './analyzer-options.js';
import type { TableStore } from './table-store.js';
import { analyzeJob, type AnalyzedStatement, type GateOutcome } from './query-gate.js';
import { informationSchemaRows } from './information-schema.js';
import { externalTableSchema } from './external-tables.js';
import type { ObjectSource } from './load-jobs.js';
import { scalarType, type TableField, type TypeProto } from './bigquery-types.js';
import { attr, outputFields } from './resolved-ast.js';
import type { DuckDBValue } from '@duckdb/node-api';
import type { DuckWarehouse } from './duckdb-warehouse.js';
import { executeStatements, refreshCounts, type JobParameter } from './execute-job.js';
import { restRows } from './rest-values.js';

export interface QueryAnswer {
  fields: { name: string; type: string; mode?: string; fields?: TableField[] }[];
  rows: Record<string, unknown>[];
}

export interface QueryOutcome {
  error?: { reason: string; message: string; status: number };
  stats?: Record<string, unknown>;
  result?: QueryAnswer;
}

export interface QueryJob {
  project: string;
  location: string;
  sql: string;
  dryRun: boolean;
  /** The job's `queryParameters` (REST form). */
  parameters?: JobParameter[];
  /** The local GCS, for external tables' files. */
  objects?: ObjectSource;
  /** A test's rows for a SELECT (the server keeps no rows of its own). */
  answer?: (sql: string) => QueryAnswer | undefined;
  /** What `session_user()` answers (session-user.ts). */
  sessionUser?: string;
}

/** BigQuery's `statementType` of a resolved statement. */
const STATEMENT_TYPES: [RegExp, string][] = [
  [/query_stmt/, 'SELECT'], [/create_table_as_select/, 'CREATE_TABLE_AS_SELECT'], [/create_external_table/, 'CREATE_EXTERNAL_TABLE'],
  [/create_table_stmt/, 'CREATE_TABLE'], [/create_(materialized_)?view/, 'CREATE_VIEW'], [/create_schema/, 'CREATE_SCHEMA'], [/alter_table/, 'ALTER_TABLE'],
  [/insert_stmt/, 'INSERT'], [/update_stmt/, 'UPDATE'], [/delete_stmt/, 'DELETE'], [/merge_stmt/, 'MERGE'], [/grant_stmt|grant_or_revoke/, 'GRANT'],
  [/revoke_stmt/, 'REVOKE'], [/begin_stmt/, 'BEGIN_TRANSACTION'], [/commit_stmt/, 'COMMIT_TRANSACTION'], [/rollback_stmt/, 'ROLLBACK_TRANSACTION'],
];

function statementType(s: AnalyzedStatement): string {
  if (s.node.kind === 'resolved_drop_stmt_node') return `DROP_${String(attr(s.node.body, 'object_type') ?? 'TABLE').toUpperCase().replace(/ /g, '_')}`;
  return STATEMENT_TYPES.find(([re]) => re.test(s.node.kind))?.[1] ?? s.node.kind.replace(/^resolved_|_stmt_node$/g, '').toUpperCase();
}

function parameterTypes(job: QueryJob): { name: string; type: TypeProto }[] {
  return (job.parameters ?? []).map((p) => ({
    name: p.name,
    type: p.parameterType.type === 'ARRAY' ? { type_kind: 'TYPE_ARRAY', array_type: { element_type: scalarType(p.parameterType.arrayType?.type ?? 'STRING') } } : scalarType(p.parameterType.type),
  }));
}

/** `` `p`.`d`.`t` `` and `` `p.d.t` ``: the tables a statement's text names. */
function referencedTables(sql: string): string[] {
  const out = new Set<string>();
  for (const m of sql.matchAll(/`([^`]+)`\.`([^`]+)`\.`([^`]+)`/g)) out.add(`${m[1]}.${m[2]}.${m[3]}`);
  for (const m of sql.matchAll(/`([^`.]+)\.([^`.]+)\.([^`.]+)`/g)) out.add(`${m[1]}.${m[2]}.${m[3]}`);
  return [...out];
}

async function resultOf(zs: ZetaSql, settings: AnalyzerSettings, s: AnalyzedStatement, job: QueryJob, store: TableStore, gate: GateOutcome, rows: DuckDBValue[][] | undefined): Promise<QueryAnswer> {
  const custom = job.answer?.(job.sql);
  if (custom) return custom;
  const fields = outputFields(s.node) ?? [];
  // The answer's rows are records by column name: a name twice would show one column's values under both.
  const twice = fields.find((f, i) => fields.findIndex((g) => g.name === f.name) !== i);
  if (twice) throw new Error(`a result with the column name ${twice.name} twice; BigQuery answers both`);
  if (rows) return { fields, rows: restRows(rows, fields) };
  const info = await informationSchemaRows(zs, settings, s.text, gate.paths, job.project, store, fields.map((f) => f.name), job.sessionUser);
  return { fields, rows: info ?? [] };
}

/**
 * A query the analyzer accepted that this server cannot answer (the reference evaluator lacks a function):
 * a job error BigQuery's way, `notImplemented`, which no client retries — not an HTTP 500.
 */
async function answerOrRefusal(answer: () => Promise<QueryAnswer>): Promise<{ result?: QueryAnswer; error?: { reason: string; message: string } }> {
  try {
    return { result: await answer() };
  } catch (e) {
    const detail = String((e as Error).message).split('\n')[0]!.replace(/^\d+ [A-Z_]+: /, '');
    return { error: { reason: 'notImplemented', message: `The local BigQuery accepted this query but cannot evaluate it (${detail})` } };
  }
}

/** An external table created over local GCS objects gets the files' columns and row count. */
async function describeExternal(s: AnalyzedStatement, job: QueryJob, store: TableStore): Promise<void> {
  for (const e of s.effects) {
    if (e.op !== 'create' || e.kind !== 'EXTERNAL' || e.fields.length) continue;
    const schema = await externalTableSchema(s.text, job.objects);
    const t = store.tables.get(e.key);
    if (schema && t) Object.assign(t, { fields: schema.fields, numRows: schema.rows });
  }
}

/** `ddlTargetTable` of a single DDL statement, as BigQuery reports it (dbt-bigquery reads a CTAS's rows from it). */
function ddlTarget(statements: AnalyzedStatement[]): { ddlTargetTable?: { projectId: string; datasetId: string; tableId: string } } {
  const created = statements.length === 1 ? statements[0]!.effects.find((e) => e.op === 'create' && !e.temp) : undefined;
  const [projectId, datasetId, tableId] = created ? created.key.split('.') : [];
  return projectId && datasetId && tableId ? { ddlTargetTable: { projectId, datasetId, tableId } } : {};
}

/** Runs one query job (or dry run) through the gate against the store. */
export async function runQueryJob(zs: ZetaSql, settings: AnalyzerSettings, store: TableStore, wh: DuckWarehouse, job: QueryJob): Promise<QueryOutcome> {
  const gate = await analyzeJob(zs, settings, job.sql, { project: job.project, location: job.location, parameters: parameterTypes(job), columnsOf: (k) => store.columnsOf(k), tableOf: (k) => store.partitionedTable(k) });
  const refs = gate.tables;
  const bytes = refs.reduce((n, r) => n + (store.tables.get(r)?.numBytes ?? 0), 0);
  const type = gate.statements.length === 1 ? statementType(gate.statements[0]!) : 'SCRIPT';
  if (job.dryRun) {
    if (gate.error) return { error: { ...gate.error, status: gate.error.reason === 'notFound' ? 404 : 400 } };
    const referencedTables = refs.filter((r) => store.tables.has(r)).map((r) => ({ projectId: r.split('.')[0], datasetId: r.split('.')[1], tableId: r.split('.')[2] }));
    return { stats: { totalBytesProcessed: String(bytes), query: { totalBytesProcessed: String(bytes), statementType: type, referencedTables } } };
  }
  // A failed script keeps what its statements before the failure did, except inside an open transaction.
  const done = gate.error ? gate.statements.filter((s) => !s.inTransaction) : gate.statements;
  const ran = await wh.exclusive(async () => {
    const out = await executeStatements(wh, store, job, done, gate.tables, job.objects);
    for (const s of done.slice(0, out.executed)) {
      store.apply(s.effects);
      await describeExternal(s, job, store);
    }
    await refreshCounts(wh, store, [...new Set([...gate.tables, ...done.flatMap((s) => s.effects.map((e) => e.key))])]);
    return out;
  });
  const last = done.slice(0, ran.executed).filter((s) => s.node.kind === 'resolved_query_stmt_node').at(-1);
  const answered = last ? await answerOrRefusal(() => resultOf(zs, settings, last, job, store, gate, ran.rows)) : {};
  const result = answered.result;
  store.save();
  if (gate.error) return { error: { ...gate.error, status: 400 } };
  if (ran.error) return { error: { ...ran.error, status: 400 } };
  if (answered.error) return { error: { ...answered.error, status: 400 } };
  const dml = ran.dmlRows;
  const query = { totalBytesProcessed: String(bytes), totalBytesBilled: String(Math.max(bytes, bytes ? 10 * 1024 * 1024 : 0)), statementType: type, ...(dml !== undefined ? { numDmlAffectedRows: String(dml) } : {}), ...ddlTarget(gate.statements) };
  return { stats: { totalBytesProcessed: String(bytes), query }, result };
}
