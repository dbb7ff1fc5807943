/**
 * A query job's accepted statements executed on the local BigQuery's DuckDB: parameters and script
 * variables as DuckDB variables, a script's transaction on the one connection (rolled back if the job
 * fails inside it), temp tables dropped at the end, row counts read back. A statement the translation
 * cannot run faithfully fails the job with `notImplemented` and says which statement and why — never a
 * silent success.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { AnalyzedStatement } from './query-gate.js';
import type { TableStore } from './table-store.js';
import { duckRelation, type DuckWarehouse } from './duckdb-warehouse.js';
import { firstLine, planStatement } from './statement-plans.js';
import { duckTypeOfField, quoteIdent, Untranslatable, type TranslateContext } from './to-duckdb.js';
import { LOCAL_LIMIT_PREFIX, RUNTIME_PREFIX } from './untranslatable.js';
import { bigQueryRuntimeMessage } from './runtime-errors.js';
import { nullElementField, nullElementMessage } from './array-checks.js';
import { outputFields } from './resolved-ast.js';
import { reorderRows } from './using-order.js';
import { createExternalRows } from './external-tables.js';
import type { SchemaEffect } from './statement-effects.js';
import type { ObjectSource } from './load-jobs.js';

export interface JobParameter {
  name: string;
  parameterType: { type: string; arrayType?: { type: string } };
  parameterValue?: { value?: string; arrayValues?: { value?: string }[] };
}

export interface Execution {
  /** The rows of the job's last SELECT (DuckDB values, by position). */
  rows?: DuckDBValue[][];
  dmlRows?: number;
  /** How many of the statements ran (all of them unless `error`). */
  executed: number;
  error?: { reason: string; message: string };
}

/** What BigQuery's engine refuses on the data (not the analyzer on the SQL). */
class Refused extends Error {}

/** A failed statement as the job's error: BigQuery's refusal or runtime error, a missing dataset, or what cannot run here. */
function jobError(e: unknown, project: string, current: AnalyzedStatement | undefined): NonNullable<Execution['error']> {
  if (e instanceof Refused) return { reason: 'invalidQuery', message: e.message };
  // The translation's own error() calls carry BigQuery's runtime message (a cast of 'x' to INT64 or 'yes' to BOOL, a zero divisor…).
  const first = String((e as Error).message).split('\n')[0]!;
  if (first.startsWith(`Invalid Input Error: ${RUNTIME_PREFIX}`)) return { reason: 'invalidQuery', message: first.slice(`Invalid Input Error: ${RUNTIME_PREFIX}`.length) };
  if (first.startsWith(`Invalid Input Error: ${LOCAL_LIMIT_PREFIX}`)) return notImplemented(`not computed as BigQuery does: ${first.slice(`Invalid Input Error: ${LOCAL_LIMIT_PREFIX}`.length)}`, current);
  const mapped = e instanceof Untranslatable ? undefined : bigQueryRuntimeMessage(first);
  if (mapped) return { reason: 'invalidQuery', message: mapped };
  const dataset = /Schema with name "?([^"! ]+)"? does not exist/.exec(String((e as Error).message));
  if (dataset) return { reason: 'notFound', message: `Not found: Dataset ${project}:${dataset[1]}` };
  // nan-order.ts sorts by a function of each FLOAT64 key; DuckDB cannot inline an alias whose expression may fail.
  const alias = /Alias "([^"]+)" referenced - but the expression has side effects/.exec(first);
  if (alias) return notImplemented(`not translated to DuckDB: ORDER BY ${alias[1]}, a select-list alias of an expression that can fail at run time, in a statement that sorts by FLOAT64 (BigQuery sorts NaN first); sort by the expression itself`, current);
  const what = e instanceof Untranslatable ? `not translated to DuckDB: ${e.message}` : `DuckDB: ${first}`;
  return notImplemented(what, current);
}

const notImplemented = (what: string, current: AnalyzedStatement | undefined): NonNullable<Execution['error']> => ({
  reason: 'notImplemented',
  message: `The local BigQuery accepted this statement but cannot execute it on data (${what}). Statement: ${current ? firstLine(current.text) : ''}`,
});

/** Sets each query parameter as a DuckDB variable (`@name` reads `strata_param_name`), values bound, never in SQL text. */
async function setParameters(wh: DuckWarehouse, parameters: JobParameter[]): Promise<string[]> {
  const names: string[] = [];
  for (const p of parameters) {
    const name = `strata_param_${p.name.toLowerCase()}`;
    const array = p.parameterType.type === 'ARRAY';
    const type = duckTypeOfField({ type: array ? (p.parameterType.arrayType?.type ?? 'STRING') : p.parameterType.type, mode: array ? 'REPEATED' : 'NULLABLE' });
    const value = array ? (p.parameterValue?.arrayValues ?? []).map((v) => v.value ?? null) : (p.parameterValue?.value ?? null);
    await wh.run(`set variable ${quoteIdent(name)} = CAST($1 AS ${array ? 'VARCHAR[]' : 'VARCHAR'})::${type}`, [array ? (await import('@duckdb/node-api')).listValue(value as (string | null)[]) : (value as string | null)]);
    names.push(name);
  }
  return names;
}

/** Creates, empty, the tables the catalog holds and DuckDB does not (a test may put them in the catalog directly). */
async function syncCatalog(wh: DuckWarehouse, store: TableStore, tables: string[]): Promise<void> {
  for (const key of tables) {
    const t = store.tables.get(key);
    if (t && t.type !== 'VIEW') await wh.ensureTable(key, t.fields);
  }
}

/** Runs the statements (the gate's accepted ones) of one job on the warehouse. */
export async function executeStatements(wh: DuckWarehouse, store: TableStore, job: { project: string; parameters?: JobParameter[]; sessionUser?: string }, statements: AnalyzedStatement[], tables: string[], objects?: ObjectSource): Promise<Execution> {
  const projects = [...new Set([job.project, ...tables.map((t) => t.split('.')[0]!)])];
  await wh.useProject(job.project, projects);
  await syncCatalog(wh, store, tables);
  const ctx: TranslateContext = { variables: new Set(), sessionUser: job.sessionUser };
  const temps = new Set<string>();
  const macros = new Set<string>();
  const names = await setParameters(wh, job.parameters ?? []);
  let inTransaction = false;
  let ownTransaction = false;
  let rows: DuckDBValue[][] | undefined;
  let dmlRows: number | undefined;
  let current: AnalyzedStatement | undefined;
  let executed = 0;
  try {
    for (const s of statements) {
      current = s;
      // INFORMATION_SCHEMA is answered from the catalog (information-schema.ts), not from DuckDB.
      if (s.node.kind === 'resolved_query_stmt_node' && /information_schema/i.test(s.text)) {
        executed++;
        continue;
      }
      const external = s.effects.find((e): e is Extract<SchemaEffect, { op: 'create' }> => e.op === 'create' && e.kind === 'EXTERNAL');
      if (external) {
        await createExternalRows(wh, s.text, external.key, external.fields, objects);
        executed++;
        continue;
      }
      const plan = planStatement(s, ctx);
      if (plan.projects.length) await wh.useProject(job.project, plan.projects);
      if (plan.unlessExists && (await wh.exists(plan.unlessExists))) continue;
      for (const e of s.effects) if (e.op === 'create' && e.temp) temps.add(e.key);
      for (const m of plan.macros ?? []) macros.add(m);
      if (plan.refuseIf && (await wh.rows(plan.refuseIf.sql)).length) throw new Refused(plan.refuseIf.message);
      // A write and its checks are one statement to BigQuery: undone together when a check fails.
      const own = !!plan.atomic && !inTransaction;
      if (own) await wh.run('begin transaction');
      ownTransaction = own;
      for (const [i, sql] of plan.sql.entries()) {
        if (plan.query && i === plan.sql.length - 1) {
          if (plan.reorder) {
            const answer = await wh.rowsNamed(sql);
            rows = reorderRows(answer.rows, answer.names, plan.reorder);
          } else rows = await wh.rows(sql);
          const field = nullElementField(rows, outputFields(s.node) ?? []);
          if (field) throw new Refused(nullElementMessage(field));
        }
        else {
          const r = await wh.run(sql);
          if (plan.dml) dmlRows = (dmlRows ?? 0) + r.changed;
        }
      }
      if (own) await wh.run('commit');
      ownTransaction = false;
      if (s.node.kind === 'resolved_begin_stmt_node') inTransaction = true;
      if (/resolved_(commit|rollback)_stmt_node/.test(s.node.kind)) inTransaction = false;
      executed++;
    }
    if (inTransaction) throw new Refused('Transaction is still active at the end of the script; it was rolled back');
    return { rows, dmlRows, executed };
  } catch (e) {
    if (inTransaction || ownTransaction) await wh.run('rollback').catch(() => undefined);
    return { executed, error: jobError(e, job.project, current) };
  } finally {
    for (const t of temps) await wh.run(`drop table if exists ${quoteIdent(t)}`).catch(() => wh.run(`drop view if exists ${quoteIdent(t)}`).catch(() => undefined));
    for (const m of macros) await wh.run(`drop macro if exists temp.main.${quoteIdent(m)}`).catch(() => undefined);
    for (const v of [...names, ...ctx.variables]) await wh.run(`reset variable ${quoteIdent(v)}`).catch(() => undefined);
  }
}

/** Row counts of the tables a job touched, read back into the catalog. */
export async function refreshCounts(wh: DuckWarehouse, store: TableStore, keys: string[]): Promise<void> {
  for (const key of keys) {
    const t = store.tables.get(key);
    if (!t || t.type !== 'TABLE') continue;
    const n = await wh.count(key);
    if (n !== undefined) t.numRows = n;
  }
}

/** Every row of a stored table (tabledata.list). */
export async function tableRows(wh: DuckWarehouse, key: string): Promise<DuckDBValue[][]> {
  return wh.rows(`select * from ${duckRelation(key)}`);
}

