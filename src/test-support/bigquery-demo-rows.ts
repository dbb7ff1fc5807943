/**
 * The demo on the loopback BigQuery: the environment its profile reads there, and its tables compared with a
 * DuckDB build of the same files: rows as sets of normalised values (floats to 9 significant digits, timestamps
 * as ISO instants), with a snapshot's dbt_scd_id recomputed as BigQuery's text of the version time gives it.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TableField } from '../adapters/bigquery/local/bigquery-types.js';
import { copyDemo } from './demo-project.js';
import { withLoopbackBigQuery, type LoopbackServers } from './loopback-bigquery.js';

/** A value as both sides are compared. */
export function normal(v: unknown, type: string): unknown {
  if (v === null || v === undefined) return null;
  if (type === 'FLOAT' || type === 'NUMERIC') return Number(Number(v).toPrecision(9));
  if (type === 'TIMESTAMP') {
    // DuckDB writes a TIMESTAMPTZ's offset as '+00', which Date does not parse: '+00:00'.
    const text = String(v).replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00');
    return new Date(/[zZ]|[+-]\d{2}(:?\d{2})?$/.test(text) ? text : `${text}Z`).toISOString();
  }
  if (type === 'DATE') return String(v).slice(0, 10);
  if (type === 'BOOLEAN') return v === true || v === 'true';
  return String(v);
}

/** Each snapshot's unique key columns, by name, from the manifest. */
export function uniqueKeysOfSnapshots(manifestPath: string): Map<string, string[]> {
  const nodes = Object.values(JSON.parse(readFileSync(manifestPath, 'utf8')).nodes) as { resource_type: string; name: string; config: { unique_key: string | string[] } }[];
  return new Map(nodes.filter((n) => n.resource_type === 'snapshot').map((n) => [n.name, [n.config.unique_key].flat()]));
}

/** dbt's dbt_scd_id of a snapshot row: md5 of its key columns and dbt_updated_at as text ('2020-01-04 00:00:00' + offset), joined by '|'. */
export function scdId(row: Record<string, unknown>, keys: string[], offset: string): string {
  const iso = String(normal(row.dbt_updated_at, 'TIMESTAMP'));
  const time = `${iso.slice(0, 10)} ${iso.slice(11, 19)}${iso.slice(19, 23).replace(/\.?0+$/, '')}${offset}`;
  return createHash('md5').update([...keys.map((k) => String(row[k] ?? '')), time].join('|')).digest('hex');
}

export function rowSet(rows: Record<string, unknown>[], fields: TableField[]): string[] {
  return rows.map((r) => JSON.stringify(fields.map((f) => normal(r[f.name], f.type)))).sort();
}

/**
 * The columns compared: all but the ones each build's clock, invocation or dialect decides — load and quarantine times, the
 * invocation that wrote a silver row, and the demo's median (approx_quantiles(x, 2)[offset(1)] on BigQuery, a value of the input;
 * median(x) on DuckDB, the mean of the middle two).
 */
export function comparedFields(table: string, fields: TableField[]): TableField[] {
  return fields.filter((f) => !(table === 'mart_complaints_daily' && f.name === 'median_resolution_hours') && !/^((_strata_)?(loaded|quarantined)_at|invocation_id)$/.test(f.name));
}

/** The environment the demo's `bigquery` target and its S3 landing read: the loopback servers, test credentials. */
export function demoOnBigQueryEnv(landing: string, s3Endpoint: string, bigQueryEndpoint: string, gcsEndpoint: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    STRATA_PII_PEPPER: 'bq-test-pepper',
    STRATA_DEMO_LANDING: landing,
    STRATA_S3_ENDPOINT: s3Endpoint,
    STRATA_S3_ACCESS_KEY_ID: 'S3RVER',
    STRATA_S3_SECRET_ACCESS_KEY: 'S3RVER',
    STRATA_BQ_METHOD: 'oauth-secrets',
    STRATA_BQ_TOKEN: 'ya29.demo-token',
    STRATA_BQ_PROJECT: 'acme-demo',
    STRATA_GCS_BUCKET: 'acme-staging',
    STRATA_BQ_API_ENDPOINT: bigQueryEndpoint,
    STRATA_GCS_API_ENDPOINT: gcsEndpoint,
  };
}

/**
 * The loopback BigQuery and GCS for one describe block, and a copy of the demo without its landing folder (the
 * tests generate their own), handed to `started` before the tests; both removed after them. The list of folders
 * to remove is returned (push more onto it).
 */
export function demoOnLoopbackBigQuery(started: (demo: LoopbackServers & { dir: string }) => void): string[] {
  const dirs = withLoopbackBigQuery((servers) => {
    const dir = copyDemo();
    dirs.push(dir);
    rmSync(join(dir, 'landing'), { recursive: true, force: true });
    started({ ...servers, dir });
  });
  return dirs;
}
