/**
 * dbt 1.9's microbatch strategy: an incremental model built one batch of time at a time. Each batch's rows
 * replace that batch's window of the table (delete, then insert, in one transaction), so a batch that fails
 * leaves its window's previous rows and the batches before it committed. On a first build (or a full
 * refresh) the first batch creates the table, as dbt's does.
 */
import type { Relation } from '../adapters/contract.js';
import { UserError } from '../diagnostics/index.js';
import type { ManifestNode } from '../parse/types.js';
import { applyIncremental } from './incremental.js';
import { eventTimeCondition, eventTimeField, sqlTimestamp, type Batch } from './microbatch-window.js';
import { buildAndSwap } from './swap.js';
import type { BatchResults, MaterializeInput, MaterializeResult, RelationLookup } from './types.js';
import { replaceableInPlace } from './replaceable.js';

/** What the caller knows of a microbatch model's run: which batches, and how to render one. */
export interface MicrobatchRun {
  /** The batches to build; `incremental`: whether the table exists and this is no full refresh. */
  batches(incremental: boolean): Batch[];
  /** The model's SQL for one batch; `incremental`: `is_incremental()` inside it. */
  render(batch: Batch, incremental: boolean): Promise<string>;
  /** On retry, the batches the earlier run built: listed as successful after this run's own, as dbt 1.9 does. */
  previousSuccessful?: [string, string][];
}

/** Whether a node is a microbatch model (an incremental model with `incremental_strategy='microbatch'`). */
export function isMicrobatch(node: Pick<ManifestNode, 'resourceType' | 'config'>): boolean {
  return node.resourceType === 'model' && node.config.materialized === 'incremental' && node.config.incremental_strategy === 'microbatch';
}

/** A batch's window as dbt's batch_results lists it (Python's isoformat): `['2024-01-01T00:00:00+00:00', '2024-01-02T00:00:00+00:00']`. */
const windowOf = (b: Batch): [string, string] => [sqlTimestamp(b.start).replace(' ', 'T'), sqlTimestamp(b.end).replace(' ', 'T')];

/** The first line of what a failed batch threw (a warehouse error, or a user mistake in its render). */
function reason(e: unknown): string {
  const text = e instanceof UserError ? e.diagnostics.map((d) => d.message).join('; ') : e instanceof Error ? e.message : String(e);
  return text.split('\n')[0] ?? text;
}

/**
 * Builds a microbatch model batch by batch. A failed batch is recorded and the next one runs; if the first
 * batch fails (it may be the one that creates the table), the others do not run and are recorded as failed
 * too, as in dbt 1.9.
 * The result says which batches failed (`failedBatches`) and whether others succeeded (`partialSuccess`,
 * dbt 1.9's `PARTIAL SUCCESS (2/3)`), and lists every batch in `batchResults`.
 */
export async function materializeMicrobatch(input: MaterializeInput & { relations: RelationLookup }, run: MicrobatchRun, postHooks: (incremental: boolean) => Promise<void> = async () => undefined): Promise<MaterializeResult> {
  const { node, relation, dialect, connection, relations } = input;
  // The model's own column documented with `quote: true` is quoted in the delete of each batch's window.
  const field = eventTimeField(node, (n) => dialect.quoteIdentifier(n)) ?? String(node.config.event_time);
  const existing = await relations.get(relation);
  const fullRefresh = node.config.full_refresh === false ? false : input.fullRefresh || node.config.full_refresh === true;
  let exists = !!existing && existing.kind === 'table' && !fullRefresh;
  const batches = run.batches(exists);
  const results: BatchResults = { successful: [], failed: [] };
  const errors: string[] = [];
  let rows = 0;
  for (const [i, batch] of batches.entries()) {
    try {
      const incremental = exists;
      const sql = await run.render(batch, incremental);
      const apply = async (): Promise<number> => (incremental ? (await applyIncremental(node, sql, relation, dialect, connection, relations, undefined, eventTimeCondition(dialect, field, batch.start, batch.end))).rows : await createFromBatch(input, sql));
      // As dbt's: the post-hooks run with the last batch, in its transaction (a failing one rolls that batch back),
      // and answer `is_incremental()` as that batch's SQL did (true after a first batch, --full-refresh or not).
      rows += i === batches.length - 1 ? await connection.transaction(async () => { const n = await apply(); await postHooks(incremental); return n; }) : await apply();
      exists = true;
      results.successful.push(windowOf(batch));
    } catch (e) {
      results.failed.push(windowOf(batch));
      errors.push(`batch ${batch.id} failed: ${reason(e)}`);
      // As dbt 1.9: when the first batch fails, the others are not run (listed as failed, for retry).
      if (i > 0) continue;
      for (const rest of batches.slice(1)) results.failed.push(windowOf(rest));
      if (batches.length > 1) errors.push(`the ${batches.length - 1} later batches did not run: the first batch failed`);
      break;
    }
  }
  if (!batches.length) await postHooks(exists);
  const [failed, succeeded] = [results.failed.length, results.successful.length];
  const message = !failed
    ? `INSERT ${rows} (${batches.length} batch${batches.length === 1 ? '' : 'es'})`
    : succeeded
      ? `PARTIAL SUCCESS (${succeeded}/${batches.length}): ${errors.join('; ')}`
      : `${failed} of ${batches.length} batches failed: ${errors.join('; ')}`;
  // The status counts this run's batches only; the earlier run's successes are listed after them (dbt 1.9's merge).
  results.successful.push(...(run.previousSuccessful ?? []));
  return {
    status: 'success',
    message,
    rowsAffected: rows,
    adapterResponse: { code: 'MICROBATCH', rows_affected: rows, strategy: 'microbatch' },
    relationKind: 'table',
    batchResults: results,
    ...(failed ? { failedBatches: message, partialSuccess: succeeded > 0 } : {}),
  };
}

/** The first batch of a first build or full refresh: the table, replaced as any table is (a failure leaves the old one). */
async function createFromBatch(input: MaterializeInput & { relations: RelationLookup }, sql: string): Promise<number> {
  const { node, relation, dialect, connection, relations } = input;
  let answered: number | undefined;
  const inPlace = await replaceableInPlace(connection, node, relation, relations);
  await buildAndSwap(connection, dialect, relation, 'table', async (target: Relation) => (answered = (await connection.execute(dialect.createTableAs(target, sql, { config: node.config }))).rowsAffected), relations, inPlace);
  if (answered !== undefined && dialect.capabilities.ctasRowCount) return answered;
  return Number((await connection.query(`select count(*) as n from ${dialect.renderRelation(relation)}`)).rows[0]?.n ?? 0);
}
