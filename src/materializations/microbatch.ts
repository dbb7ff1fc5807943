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
import { eventTimeCondition, sqlTimestamp, type Batch } from './microbatch-window.js';
import { buildAndSwap } from './swap.js';
import type { BatchResults, MaterializeInput, MaterializeResult, RelationLookup } from './types.js';

/** What the caller knows of a microbatch model's run: which batches, and how to render one. */
export interface MicrobatchRun {
  /** The batches to build; `incremental`: whether the table exists and this is no full refresh. */
  batches(incremental: boolean): Batch[];
  /** The model's SQL for one batch; `incremental`: `is_incremental()` inside it. */
  render(batch: Batch, incremental: boolean): Promise<string>;
}

/** Whether a node is a microbatch model (an incremental model with `incremental_strategy='microbatch'`). */
export function isMicrobatch(node: Pick<ManifestNode, 'resourceType' | 'config'>): boolean {
  return node.resourceType === 'model' && node.config.materialized === 'incremental' && node.config.incremental_strategy === 'microbatch';
}

/** A batch's window as batch_results lists it: `['2024-01-01 00:00:00+00:00', '2024-01-02 00:00:00+00:00']`. */
const windowOf = (b: Batch): [string, string] => [sqlTimestamp(b.start), sqlTimestamp(b.end)];

/** The first line of what a failed batch threw (a warehouse error, or a user mistake in its render). */
function reason(e: unknown): string {
  const text = e instanceof UserError ? e.diagnostics.map((d) => d.message).join('; ') : e instanceof Error ? e.message : String(e);
  return text.split('\n')[0] ?? text;
}

/**
 * Builds a microbatch model batch by batch. A failed batch is recorded and the next one runs; if the batch
 * that would create the table fails, there is no table for the others, which are recorded as failed too.
 * The result says which batches failed (`failedBatches`), and lists every batch in `batchResults`.
 */
export async function materializeMicrobatch(input: MaterializeInput & { relations: RelationLookup }, run: MicrobatchRun): Promise<MaterializeResult> {
  const { node, relation, dialect, connection, relations } = input;
  const field = String(node.config.event_time);
  const existing = await relations.get(relation);
  const fullRefresh = node.config.full_refresh === false ? false : input.fullRefresh || node.config.full_refresh === true;
  let exists = !!existing && existing.kind === 'table' && !fullRefresh;
  const batches = run.batches(exists);
  const results: BatchResults = { successful: [], failed: [] };
  const errors: string[] = [];
  let rows = 0;
  for (const [i, batch] of batches.entries()) {
    try {
      const sql = await run.render(batch, exists);
      rows += exists ? (await applyIncremental(node, sql, relation, dialect, connection, relations, undefined, eventTimeCondition(dialect, field, batch.start, batch.end))).rows : await createFromBatch(input, sql);
      exists = true;
      results.successful.push(windowOf(batch));
    } catch (e) {
      results.failed.push(windowOf(batch));
      errors.push(`batch ${batch.id} failed: ${reason(e)}`);
      if (exists) continue;
      for (const rest of batches.slice(i + 1)) results.failed.push(windowOf(rest));
      if (i + 1 < batches.length) errors.push(`the ${batches.length - i - 1} later batches did not run: the first batch creates the table`);
      break;
    }
  }
  const failed = results.failed.length;
  const message = failed ? `${failed} of ${batches.length} batches failed: ${errors.join('; ')}` : `INSERT ${rows} (${batches.length} batch${batches.length === 1 ? '' : 'es'})`;
  return {
    status: 'success',
    message,
    rowsAffected: rows,
    adapterResponse: { code: 'MICROBATCH', rows_affected: rows, strategy: 'microbatch' },
    relationKind: 'table',
    batchResults: results,
    ...(failed ? { failedBatches: message } : {}),
  };
}

/** The first batch of a first build or full refresh: the table, replaced as any table is (a failure leaves the old one). */
async function createFromBatch(input: MaterializeInput & { relations: RelationLookup }, sql: string): Promise<number> {
  const { node, relation, dialect, connection, relations } = input;
  let answered: number | undefined;
  await buildAndSwap(connection, dialect, relation, 'table', async (target: Relation) => (answered = (await connection.execute(dialect.createTableAs(target, sql, { config: node.config }))).rowsAffected), relations);
  if (answered !== undefined && dialect.capabilities.ctasRowCount) return answered;
  return Number((await connection.query(`select count(*) as n from ${dialect.renderRelation(relation)}`)).rows[0]?.n ?? 0);
}
