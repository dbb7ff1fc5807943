/**
 * A result that repeats a column name, read through Strata's BigQuery adapter: `strata show` and
 * `run_query`'s agate table keep both columns, the second renamed `a_2` as agate renames it for dbt, each
 * with its own value (the client's row parsing alone would give both the last one's).
 */
import { describe, it, expect } from 'vitest';
import type { LocalBigQuery } from './local/local-bigquery-server.js';
import { bigQueryOutput, bigQueryProfile, useLocalBigQuery } from '../../test-support/local-bigquery-project.js';
import { analyzerPlatformGap } from '../../test-support/local-bigquery-client.js';
import { show } from '../../api/index.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';

const project = (endpoint: string): Record<string, string> => ({
  'project.yml': 'name: shelf\nprofile: shelf\n',
  'profiles.yml': bigQueryProfile('shelf', 'prod', bigQueryOutput('prod', { endpoint, project: 'acme-data', dataset: 'shelf', token: 'ya29.dup' })),
});

describe.skipIf(analyzerPlatformGap)('a result with a repeated column name, through the BigQuery adapter', () => {
  let bq: LocalBigQuery;
  let dir: string;
  useLocalBigQuery(project, (local) => ({ bq, dir } = local));

  it('`show` keeps both columns and their values', async () => {
    const out = await show({ projectDir: dir, profilesDir: dir, inline: "select 7 as n, 'seven' as n, 8 as n_2, 9 as n" });
    expect(out.diagnostics).toEqual([]);
    expect(out.previews[0]!.columns.map((c) => c.name)).toEqual(['n', 'n_2', 'n_2_2', 'n_3']);
    expect(out.previews[0]!.rows).toEqual([{ n: 7, n_2: 'seven', n_2_2: 8, n_3: 9 }]);
    expect(bq.jobs.length).toBeGreaterThan(0);
  });

  it("run_query's agate table has both columns, each with its value", async () => {
    const inline = `{% set t = run_query("select 7 as n, 'seven' as n") %}select '{{ t.column_names | join(",") }}' as names, '{{ t.rows[0][0] }}/{{ t.rows[0][1] }}' as cells`;
    const out = await show({ projectDir: dir, profilesDir: dir, inline });
    expect(out.diagnostics).toEqual([]);
    expect(out.previews[0]!.rows).toEqual([{ names: 'n,n_2', cells: '7/seven' }]);
  });
});
