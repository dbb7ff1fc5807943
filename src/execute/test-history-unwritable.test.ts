/** Strata's own test-history table is bookkeeping: when it cannot be written, the run still ends as its nodes earned. */
import { describe, it, expect } from 'vitest';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build, test as runTests } from '../api/index.js';
import { PROJECT_YML } from '../test-support/fixture-project.js';
import { runDuckDb } from '../test-support/duckdb-query.js';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';

const project = duckDbProjectsRemovedAfterAll();

const HOOKS = 'on-run-end:\n  - "create or replace table main.closing_marker as select 7 as n"';

/** A view where the history table goes, as an older tool or a hand-made object could leave it. */
async function blockHistory(db: string): Promise<void> {
  mkdirSync(dirname(db), { recursive: true });
  await runDuckDb(db, ['create schema strata_dq', 'create view strata_dq.test_results as select 1 as x']);
}

const FILES = {
  'project.yml': PROJECT_YML('p', `${HOOKS}\n`),
  'models/pallets.sql': 'select 3 as pallet_id',
  'models/pallets.yml': 'version: 2\nmodels:\n  - name: pallets\n    columns:\n      - name: pallet_id\n        data_tests: [not_null]\n',
};

describe('test history that cannot be written', () => {
  it('build warns, writes its artifacts, runs on-run-end and exits 0', async () => {
    const f = project(FILES);
    await blockHistory(f.db);
    const r = await build({ projectDir: f.dir, profilesDir: f.dir });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.exitCode).toBe(0);
    const warning = r.diagnostics.find((d) => d.code === 'test-history-not-written');
    expect(warning?.severity).toBe('warn');
    expect(warning?.message).toContain('strata_dq.test_results');
    expect(warning?.hint).toContain('strata_dq');
    const results = JSON.parse(readFileSync(join(f.dir, 'target', 'run_results.json'), 'utf8')) as { results: { unique_id: string; status: string }[] };
    expect(results.results.filter((x) => !x.unique_id.startsWith('operation.')).map((x) => x.status).sort()).toEqual(['pass', 'success']);
    expect(existsSync(join(f.dir, 'target', 'manifest.json'))).toBe(true);
    expect(await f.q('select n from main.closing_marker')).toEqual([{ n: 7 }]);
  });

  it('test keeps the exit code its tests earned: 1 when one fails', async () => {
    const f = project({ ...FILES, 'models/pallets.sql': 'select null::int as pallet_id' });
    expect((await build({ projectDir: f.dir, profilesDir: f.dir, select: ['pallets'], excludeResourceTypes: ['test'] })).exitCode).toBe(0);
    await blockHistory(f.db);
    const r = await runTests({ projectDir: f.dir, profilesDir: f.dir });
    expect(r.exitCode).toBe(1);
    expect(r.diagnostics.some((d) => d.code === 'test-history-not-written')).toBe(true);
    expect(await f.q('select n from main.closing_marker')).toEqual([{ n: 7 }]);
  });
});
