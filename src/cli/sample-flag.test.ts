/** `--sample` and dbt's `DBT_SAMPLE` through the packaged CLI (bin/strata.js over dist/): exit codes and output. */
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../test-support/demo-project.js';
import { projectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { runStrata } from '../test-support/strata-cli.js';

const strata = (args: string[], env: Record<string, string> = {}) => runStrata(args, { cwd: repoRoot, env: { DBT_SAMPLE: '', STRATA_SAMPLE: '', ...env } });
const project = projectsRemovedAfterAll();
const FILES = {
  'models/events.sql': "{{ config(materialized='table', event_time='ts') }}\nselect 1 as id, timestamp '2024-01-01 10:00:00' as ts union all select 2, timestamp '2024-01-03 10:00:00'",
  'models/recent.sql': "select * from {{ ref('events') }}",
};

describe('strata run/build --sample', () => {
  it('a malformed spec is exit 2 with the fix, and no warehouse is opened', async () => {
    const d = project(FILES);
    const bad = await strata(['run', '--sample', '2 fortnights', '--project-dir', d, '--profiles-dir', d]);
    expect(bad.code).toBe(2);
    expect(bad.out).toContain("--sample: error [sample-invalid] --sample '2 fortnights': 'fortnights' is not a grain: use hours, days, months, years");
    expect(bad.out).toContain(`hint: write --sample="3 days" or --sample="{'start': '2024-07-01', 'end': '2024-07-08'}"`);
    expect(bad.out).not.toMatch(/at .*\.js:\d+/);
    expect(existsSync(join(d, 'target', 'test.duckdb'))).toBe(false);
    // DBT_SAMPLE is read as the flag would be.
    expect((await strata(['build', '--project-dir', d, '--profiles-dir', d], { DBT_SAMPLE: 'yesterday' })).code).toBe(2);
  });

  it('DBT_SAMPLE stands for the flag; the flag wins over it; other commands leave it alone', async () => {
    const d = project(FILES);
    const compiled = (): string => readFileSync(join(d, 'target', 'compiled', 'p', 'models', 'recent.sql'), 'utf8');
    const fromEnv = await strata(['run', '--project-dir', d, '--profiles-dir', d], { DBT_SAMPLE: "{'start': '2024-01-02', 'end': '2024-01-04'}" });
    expect(fromEnv.code, fromEnv.out).toBe(0);
    expect(compiled()).toContain(`from (select * from "test"."main"."events" where ts >= '2024-01-02 00:00:00+00:00' and ts < '2024-01-04 00:00:00+00:00')`);
    const flag = await strata(['run', '--sample', "{'start': '2024-01-01', 'end': '2024-01-02'}", '--project-dir', d, '--profiles-dir', d], { DBT_SAMPLE: 'not a spec' });
    expect(flag.code, flag.out).toBe(0);
    expect(compiled()).toContain(`where ts >= '2024-01-01 00:00:00+00:00' and ts < '2024-01-02 00:00:00+00:00')`);
    // As dbt's: only run and build sample; compile renders refs whole.
    const compile = await strata(['compile', '--project-dir', d, '--profiles-dir', d], { DBT_SAMPLE: 'not a spec' });
    expect(compile.code, compile.out).toBe(0);
    expect(compiled()).toBe('select * from "test"."main"."events"');
  });
});
