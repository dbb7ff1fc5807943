/** Source freshness: how long ago a source was last loaded, against `warn_after` / `error_after`. */
import type { Connection, Dialect } from '../adapters/contract.js';
import type { SourceDefinition } from '../parse/types.js';

export interface FreshnessThreshold {
  count: number;
  period: 'minute' | 'hour' | 'day';
}

export interface FreshnessResult {
  uniqueId: string;
  status: 'pass' | 'warn' | 'error' | 'runtime error';
  maxLoadedAt: string | null;
  snapshottedAt: string;
  ageSeconds: number | null;
  criteria: { warn_after: FreshnessThreshold | null; error_after: FreshnessThreshold | null; filter: string | null };
  message: string;
}

const SECONDS = { minute: 60, hour: 3600, day: 86400 } as const;

function threshold(v: unknown): FreshnessThreshold | null {
  if (!v || typeof v !== 'object') return null;
  const t = v as { count?: unknown; period?: unknown };
  const period = String(t.period ?? '');
  if (typeof t.count !== 'number' || !(period in SECONDS)) return null;
  return { count: t.count, period: period as FreshnessThreshold['period'] };
}

function criteriaOf(source: SourceDefinition): FreshnessResult['criteria'] {
  const f = source.freshness ?? {};
  return { warn_after: threshold(f.warn_after), error_after: threshold(f.error_after), filter: typeof f.filter === 'string' ? f.filter : null };
}

/** A source whose check could not run (its query comment does not render): a runtime error, as a failed query is. */
export function freshnessRuntimeError(source: SourceDefinition, message: string): FreshnessResult {
  return { uniqueId: source.uniqueId, status: 'runtime error', maxLoadedAt: null, snapshottedAt: new Date().toISOString(), ageSeconds: null, criteria: criteriaOf(source), message };
}

export function hasFreshness(source: SourceDefinition): boolean {
  const f = source.freshness ?? {};
  return !!source.loadedAtField && (threshold(f.warn_after) !== null || threshold(f.error_after) !== null);
}

export async function checkFreshness(connection: Connection, dialect: Dialect, source: SourceDefinition): Promise<FreshnessResult> {
  const criteria = criteriaOf(source);
  const snapshottedAt = new Date().toISOString();
  const field = source.loadedAtField!;
  const relation = dialect.renderRelation({ database: source.database, schema: source.schema, identifier: source.identifier, ...(source.externalLocation ? { external: source.externalLocation } : {}) });
  const sql = `select cast(max(${field}) as ${dialect.typeName('string')}) as max_loaded_at, ${dialect.secondsSince(`max(${field})`)} as age from ${relation}${criteria.filter ? ` where ${criteria.filter}` : ''}`;
  try {
    const row = (await connection.query(sql)).rows[0] ?? {};
    // As dbt (`_utc`): a date is no load time; freshness needs a timestamp to measure hours by.
    if (typeof row.max_loaded_at === 'string' && /^\d{4}-\d\d-\d\d$/.test(row.max_loaded_at.trim())) {
      return freshnessRuntimeError(source, `Expected a timestamp value when querying field '${field}' of table ${relation} but received value of type 'date' instead (hint: loaded_at_field: "cast(${field} as timestamp)")`);
    }
    const age = row.age === null || row.age === undefined ? null : Number(row.age);
    const over = (t: FreshnessThreshold | null): boolean => t !== null && age !== null && age > t.count * SECONDS[t.period];
    const status = age === null ? 'error' : over(criteria.error_after) ? 'error' : over(criteria.warn_after) ? 'warn' : 'pass';
    const message = age === null ? `${source.sourceName}.${source.name} has no rows with ${field}` : `last loaded ${Math.round(age)} s ago`;
    return { uniqueId: source.uniqueId, status, maxLoadedAt: row.max_loaded_at === null || row.max_loaded_at === undefined ? null : utcIso(String(row.max_loaded_at)), snapshottedAt, ageSeconds: age, criteria, message };
  } catch (e) {
    return { uniqueId: source.uniqueId, status: 'runtime error', maxLoadedAt: null, snapshottedAt, ageSeconds: null, criteria, message: (e as Error).message };
  }
}

/**
 * A warehouse's timestamp text as dbt writes `max_loaded_at`: ISO 8601 in UTC (`2026-01-05T10:00:00+00:00`,
 * microseconds kept); a time without an offset is UTC, as dbt takes it. Text that is not a timestamp stays as it is.
 */
export function utcIso(text: string): string {
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?\s*(?:(Z|UTC)|([+-]\d\d)(?::?(\d\d))?)?$/.exec(text.trim());
  if (!m) return text;
  const [, day, time, fraction = '', , offH, offM = '00'] = m;
  const micros = fraction.padEnd(6, '0').slice(0, 6);
  let date = `${day}T${time}`;
  if (offH !== undefined && (Number(offH) !== 0 || Number(offM) !== 0)) {
    const sign = offH.startsWith('-') ? -1 : 1;
    const shifted = new Date(Date.parse(`${date}Z`) - sign * (Math.abs(Number(offH)) * 60 + Number(offM)) * 60_000);
    date = shifted.toISOString().slice(0, 19);
  }
  return `${date}${Number(micros) ? `.${micros}` : ''}+00:00`;
}

/** dbt's `sources.json` (v3) shape. */
export function sourcesArtifact(results: (FreshnessResult & { executionTime: number; startedAt: string; completedAt: string })[], invocationId: string, elapsed: number): Record<string, unknown> {
  return {
    metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/sources/v3.json', dbt_version: '1.8.0', generated_at: new Date().toISOString(), invocation_id: invocationId, env: {} },
    results: results.map((r) => ({
      unique_id: r.uniqueId,
      max_loaded_at: r.maxLoadedAt,
      snapshotted_at: r.snapshottedAt,
      max_loaded_at_time_ago_in_s: r.ageSeconds,
      status: r.status,
      criteria: r.criteria,
      adapter_response: {},
      timing: [{ name: 'execute', started_at: r.startedAt, completed_at: r.completedAt }],
      thread_id: 'Thread-1',
      execution_time: r.executionTime,
      ...(r.status === 'runtime error' ? { error: r.message } : {}),
    })),
    elapsed_time: elapsed,
  };
}
