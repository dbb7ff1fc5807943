/** dbt 1.10's build runs the selected exposures, each a `no-op` result counted as NO-OP in the `Done.` line. */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { CapturingReporter } from '../diagnostics/events.js';
import { build, run } from './index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const PROPERTIES = `exposures:
  - name: harbour_board
    type: dashboard
    owner: {name: Quay}
    depends_on: [ref('moorings')]
models:
  - name: moorings
    columns:
      - name: berth
        data_tests: [not_null]
`;

const results = (dir: string): [string, string, unknown][] =>
  (JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')).results as { unique_id: string; status: string; message: unknown }[]).map((r) => [r.unique_id, r.status, r.message]);
const done = (reporter: CapturingReporter): unknown => reporter.events.find((e) => e.type === 'run-finished')?.counts;

describe('exposures in build', () => {
  it('are no-op results after their parents and tests, in the N of M count and the NO-OP count; run leaves them out', async () => {
    const dir = writeProject({ 'models/moorings.sql': 'select 4 as berth', 'models/properties.yml': PROPERTIES });
    dirs.push(dir);
    const reporter = new CapturingReporter();
    const r = await build({ projectDir: dir, profilesDir: dir, reporter });
    expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(0);
    expect(results(dir).map(([id, status, message]) => [id.replace(/\.[0-9a-f]{10}$/, ''), status, message])).toEqual([
      ['model.p.moorings', 'success', 'OK'],
      ['test.p.not_null_moorings_berth', 'pass', null],
      ['exposure.p.harbour_board', 'no-op', 'NO-OP'],
    ]);
    // The exposure's entry as dbt 1.10's NoOpRunner writes it: failures 0, not a compiled node, both timings.
    const entry = (JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')).results as Record<string, unknown>[]).find((r) => String(r.unique_id).startsWith('exposure.'))!;
    expect(entry).toMatchObject({ failures: 0, compiled: null, compiled_code: null, relation_name: null, adapter_response: {} });
    expect((entry.timing as { name: string }[]).map((t) => t.name)).toEqual(['compile', 'execute']);
    expect(reporter.events.find((e) => e.type === 'run-started')).toMatchObject({ total: 3 });
    expect(done(reporter)).toEqual({ PASS: 2, WARN: 0, ERROR: 0, SKIP: 0, 'NO-OP': 1, TOTAL: 3 });

    const onlyModels = new CapturingReporter();
    expect((await build({ projectDir: dir, profilesDir: dir, reporter: onlyModels, resourceTypes: ['model'] })).exitCode).toBe(0);
    expect(done(onlyModels)).toMatchObject({ 'NO-OP': 0, TOTAL: 1 });
    const ran = new CapturingReporter();
    expect((await run({ projectDir: dir, profilesDir: dir, reporter: ran })).exitCode).toBe(0);
    expect(done(ran)).toMatchObject({ 'NO-OP': 0, TOTAL: 1 });
  });

  it('is skipped when what it depends on failed', async () => {
    const dir = writeProject({ 'models/moorings.sql': 'select berth from no_such_quay', 'models/properties.yml': PROPERTIES });
    dirs.push(dir);
    const reporter = new CapturingReporter();
    expect((await build({ projectDir: dir, profilesDir: dir, reporter })).exitCode).toBe(1);
    expect(results(dir).map(([id, status]) => [id.replace(/\.[0-9a-f]{10}$/, ''), status])).toEqual([
      ['model.p.moorings', 'error'],
      ['test.p.not_null_moorings_berth', 'skipped'],
      ['exposure.p.harbour_board', 'skipped'],
    ]);
    expect(done(reporter)).toEqual({ PASS: 0, WARN: 0, ERROR: 1, SKIP: 2, 'NO-OP': 0, TOTAL: 3 });
  });

});
