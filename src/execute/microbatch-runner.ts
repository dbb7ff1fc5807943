/**
 * The batches of a microbatch model for this run, and the render of each: the window from the model's
 * config, the run's one "now" and `--event-time-start` / `--event-time-end`, or, on `strata retry`, the
 * batches the last run left failed.
 */
import type { ManifestNode } from '../parse/types.js';
import type { Dialect } from '../adapters/contract.js';
import type { Compiler } from '../compile/index.js';
import type { TemplateWarehouse } from '../templating/types.js';
import { UserError } from '../diagnostics/index.js';
import { batchId, formatBatchStart, batchesBetween, eventTimeCondition, isBatchSize, microbatchWindow, parseInstant, type Batch, type BatchResults, type BatchSize, type MicrobatchRun } from '../materializations/index.js';

/** What a run knows of time for its microbatch models (every one uses the same "now", as dbt's). */
export interface MicrobatchTimes {
  now: Date;
  /** `--event-time-start` / `--event-time-end`. */
  eventTimeStart?: Date;
  eventTimeEnd?: Date;
  /** `strata retry`: per model, the last run's batch_results: its failed batches run again, its successful ones are listed again. */
  retryBatches?: Record<string, BatchResults>;
  /** `--sample`: inputs are read in this window too (within a batch, the two windows' overlap, as dbt 1.10's). */
  sample?: { start: Date; end: Date };
}

function invalid(node: ManifestNode, message: string, hint: string): never {
  throw new UserError({ code: 'config-invalid', severity: 'error', message: `model '${node.name}': ${message}`, file: node.originalFilePath, hint });
}

/** The batches this run builds for a microbatch model. */
export function batchesOf(node: ManifestNode, times: MicrobatchTimes, incremental: boolean): Batch[] {
  const size = node.config.batch_size;
  if (!isBatchSize(size)) invalid(node, `batch_size ${JSON.stringify(size)} is not hour, day, month or year`, "set batch_size='day'");
  const retry = times.retryBatches?.[node.uniqueId];
  if (retry) {
    return retry.failed.flatMap(([s, e]) => {
      const [start, end] = [parseInstant(s), parseInstant(e)];
      return start && end ? [{ id: batchId(start, size), start, end }] : [];
    });
  }
  const begin = parseInstant(node.config.begin);
  if (!begin && !(times.eventTimeStart && incremental)) invalid(node, `begin ${JSON.stringify(node.config.begin ?? null)} is not an ISO date or date and time`, "set begin='2024-01-01'");
  const lookback = node.config.lookback === undefined || node.config.lookback === null ? 1 : Number(node.config.lookback);
  const w = microbatchWindow({ batchSize: size, begin: begin ?? times.now, lookback, now: times.now, incremental, eventTimeStart: times.eventTimeStart, eventTimeEnd: times.eventTimeEnd });
  return batchesBetween(w.start, w.end, size);
}

/** A microbatch model's run: its batches, each rendered by the compiler with the batch's window on its inputs. */
export function microbatchRun(node: ManifestNode, times: MicrobatchTimes, compiler: Compiler, dialect: Dialect, warehouse: TemplateWarehouse, log: (message: string) => void): MicrobatchRun {
  const previous = times.retryBatches?.[node.uniqueId]?.successful;
  return {
    batches: (incremental) => batchesOf(node, times, incremental),
    ...(previous ? { previousSuccessful: previous } : {}),
    render: (batch, incremental) =>
      compiler.compileBatch(node.uniqueId, {
        batch,
        incremental,
        filter: (field) => eventTimeCondition(dialect, field, ...withinSample(batch, times.sample)),
        suffix: formatBatchStart(batch.start, node.config.batch_size as BatchSize),
      }, warehouse, log),
  };
}

/** A batch's window narrowed to `--sample`'s (dbt's later start and earlier end; with none in common, no rows). */
function withinSample(batch: Batch, sample: MicrobatchTimes['sample']): [Date, Date] {
  if (!sample) return [batch.start, batch.end];
  return [sample.start > batch.start ? sample.start : batch.start, sample.end < batch.end ? sample.end : batch.end];
}
