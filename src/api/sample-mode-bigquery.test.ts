/**
 * `--sample` with `--target bigquery`, against the loopback BigQuery server (every statement checked by
 * BigQuery's analyzer, then run): the filter is dbt-bigquery's `cast(… as timestamp)` form, so a DATE
 * event_time compares with the window's UTC bounds; a column named `at` (a BigQuery keyword) is quoted.
 * The expected counts are worked out here from where each row lies before now.
 */
import { describe, it, expect } from 'vitest';
import type { LocalBigQuery } from '../adapters/bigquery/local/local-bigquery-server.js';
import { useLocalBigQuery } from '../test-support/local-bigquery-project.js';
import { analyzerPlatformGap, loopbackBigQueryProfile, queryRows } from '../test-support/local-bigquery-client.js';
import { build } from './index.js';
import { plan } from './plan-command.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.now();
const EVENT_HOURS = [1, 20, 47, 50, 73, 100];
// Days before today (UTC) of each visit, a DATE.
const VISIT_DAYS = [0, 1, 2, 3, 5];
const today = Date.UTC(new Date(NOW).getUTCFullYear(), new Date(NOW).getUTCMonth(), new Date(NOW).getUTCDate());
const ts = (hoursAgo: number): string => new Date(NOW - hoursAgo * HOUR).toISOString().slice(0, 19).replace('T', ' ');
const date = (daysAgo: number): string => new Date(today - daysAgo * DAY).toISOString().slice(0, 10);

describe.skipIf(analyzerPlatformGap)('--sample on BigQuery (loopback server)', () => {
  let bq: LocalBigQuery;
  let dir: string;
  const count = async (table: string): Promise<number> => Number((await queryRows(bq.endpoint, `select count(*) as n from \`acme-test\`.\`shop\`.\`${table}\``, { project: 'acme-test' }))[0]!.n);
  useLocalBigQuery((endpoint) => ({
    'project.yml': 'name: p\nprofile: p\nseeds:\n  p:\n    events:\n      +event_time: ts\n      +column_types: {id: INT64, ts: TIMESTAMP}\n    visits:\n      +event_time: at\n      +column_types: {id: INT64, at: DATE}\n',
    'profiles.yml': loopbackBigQueryProfile({ bigquery: endpoint, gcs: 'http://127.0.0.1:9' }),
    'seeds/events.csv': `id,ts\n${EVENT_HOURS.map((h, i) => `${i + 1},${ts(h)}`).join('\n')}\n`,
    'seeds/visits.csv': `id,at\n${VISIT_DAYS.map((d, i) => `${i + 1},${date(d)}`).join('\n')}\n`,
    'models/recent_events.sql': "{{ config(materialized='table') }}\nselect id from {{ ref('events') }}",
    'models/recent_visits.sql': "{{ config(materialized='view') }}\nselect id from {{ ref('visits') }}",
    'models/every_event.sql': "{{ config(materialized='table') }}\nselect id from {{ ref('events').render() }}",
  }), (local) => ({ bq, dir } = local));

  it('build --sample "3 days": each sampled input keeps the rows of the last 72 hours', async () => {
    const from = bq.jobs.length;
    const r = await build({ projectDir: dir, profilesDir: dir, sample: '3 days' });
    expect(r.results.filter((x) => x.status !== 'success').map((x) => `${x.uniqueId}: ${x.message}`)).toEqual([]);
    expect(r.exitCode).toBe(0);
    const start = NOW - 3 * DAY;
    expect(await count('recent_events')).toBe(EVENT_HOURS.filter((h) => NOW - h * HOUR >= start).length);
    // A DATE is its midnight (UTC) as a timestamp.
    expect(await count('recent_visits')).toBe(VISIT_DAYS.filter((d) => today - d * DAY >= start && today - d * DAY < NOW).length);
    expect(await count('every_event')).toBe(EVENT_HOURS.length);
    const sqls = bq.jobs.slice(from).map((j) => String(j.configuration.query?.query ?? ''));
    const bound = "'\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?\\+00:00'";
    expect(sqls.join('\n---\n')).toMatch(new RegExp(`from \\(select \\* from \`acme-test\`\\.\`shop\`\\.\`visits\` where cast\\(\`at\` as timestamp\\) >= ${bound} and cast\\(\`at\` as timestamp\\) < ${bound}\\)`));
    expect(sqls.join('\n---\n')).toMatch(new RegExp(`from \\(select \\* from \`acme-test\`\\.\`shop\`\\.\`events\` where cast\\(ts as timestamp\\) >= ${bound}`));
  });

  it('build --dry-run --sample: the cost preview dry-runs the sampled SQL; a bad spec is exit 2', async () => {
    const from = bq.requests.length;
    const planned = await plan({ projectDir: dir, profilesDir: dir, select: ['recent_events'], sample: '6 hours' });
    expect(planned.exitCode).toBe(0);
    // Dry runs are not jobs: the requests that asked for one.
    const dry = bq.requests.slice(from).filter((r) => r.body?.configuration?.dryRun).map((r) => String(r.body.configuration.query?.query ?? ''));
    expect(dry.some((q) => q.includes('from (select * from `acme-test`.`shop`.`events` where cast(ts as timestamp) >= ')), dry.join('\n---\n')).toBe(true);
    const bad = await plan({ projectDir: dir, profilesDir: dir, sample: '6 fortnights' });
    expect([bad.exitCode, bad.diagnostics.map((d) => d.code)]).toEqual([2, ['sample-invalid']]);
  });
});
