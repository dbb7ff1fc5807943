/** on-run-start / on-run-end hooks from project.yml, as dbt runs them. */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject, PROJECT_YML } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build } from '../api/index.js';
import { CapturingReporter } from '../diagnostics/events.js';

/** The counts of the closing `Done. PASS=… TOTAL=…` line: as dbt's print_run_status_line, over every result, hooks included. */
const doneCounts = (reporter: CapturingReporter): unknown => reporter.events.find((e) => e.type === 'run-finished')?.counts;

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

describe('project hooks', () => {
  it('runs on-run-start before any node and on-run-end after, with results and schemas', async () => {
    const dir = writeProject({
      'project.yml': PROJECT_YML('p', `on-run-start:\n  - "create table if not exists main.audit (what varchar, detail varchar)"\n  - "insert into main.audit values ('start', '{{ target.name }}')"\non-run-end:\n  - "insert into main.audit values {% for r in results %}('{{ r.node.unique_id }}', '{{ r.status }}'){% if not loop.last %}, {% endif %}{% endfor %}"\n  - "insert into main.audit values ('schemas', '{{ schemas | join(\\",\\") }}')"\n`),
      'models/a.sql': "{{ config(materialized='table') }} select (select count(*) from main.audit) as audit_rows_when_built",
    });
    dirs.push(dir);
    const reporter = new CapturingReporter();
    const r = await build({ projectDir: dir, profilesDir: dir, reporter });
    expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(0);
    expect(doneCounts(reporter)).toEqual({ PASS: 5, WARN: 0, ERROR: 0, SKIP: 0, 'NO-OP': 0, TOTAL: 5 });
    const db = join(dir, 'target', 'test.duckdb');
    expect(await queryDuckDb(db, 'select what, detail from main.audit order by what')).toEqual([
      { what: 'model.p.a', detail: 'success' },
      { what: 'schemas', detail: 'main' },
      { what: 'start', detail: 'dev' },
    ]);
    expect(await queryDuckDb(db, 'select audit_rows_when_built::int as n from main.a')).toEqual([{ n: 1 }]);
    // As dbt 1.9+ writes them: hook results around the node results, ids operation.<project>.<project>-<hook>-<n>.
    const runResults = JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')) as { results: { unique_id: string; status: string }[] };
    expect(runResults.results.map((x) => [x.unique_id, x.status])).toEqual([
      ['operation.p.p-on-run-start-0', 'success'],
      ['operation.p.p-on-run-start-1', 'success'],
      ['model.p.a', 'success'],
      ['operation.p.p-on-run-end-0', 'success'],
      ['operation.p.p-on-run-end-1', 'success'],
    ]);
    expect(r.results.map((x) => x.uniqueId)).toEqual(runResults.results.map((x) => x.unique_id));
    // And in manifest.json, as dbt's operation nodes, so readers can join run results to them.
    const manifest = JSON.parse(readFileSync(join(dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { resource_type: string; raw_code: string; original_file_path: string }>; parent_map: Record<string, string[]> };
    for (const x of runResults.results) expect(manifest.nodes[x.unique_id], x.unique_id).toBeDefined();
    expect(manifest.nodes['operation.p.p-on-run-end-1']).toMatchObject({ resource_type: 'operation', original_file_path: './project.yml', raw_code: expect.stringContaining('schemas') });
    expect(manifest.parent_map['operation.p.p-on-run-start-0']).toEqual([]);
  });

  it('with flags: skip_nodes_if_on_run_start_fails: true (dbt 1.12 default), a failing on-run-start skips the hooks after it and every node, still runs on-run-end, exit 1', async () => {
    const dir = writeProject({
      'project.yml': PROJECT_YML('p', `flags:\n  skip_nodes_if_on_run_start_fails: true\non-run-start:\n  - "create table main.audit (what varchar)"\n  - "select * from no_such_table"\n  - "insert into main.audit values ('never')"\non-run-end:\n  - "insert into main.audit values {% for r in results %}('{{ r.node.unique_id }}:{{ r.status }}'){% if not loop.last %}, {% endif %}{% endfor %}"\n`),
      'models/a.sql': "{{ config(materialized='table') }} select 1 as x",
    });
    dirs.push(dir);
    const reporter = new CapturingReporter();
    const r = await build({ projectDir: dir, profilesDir: dir, reporter });
    expect(r.exitCode).toBe(1);
    expect(doneCounts(reporter)).toEqual({ PASS: 2, WARN: 0, ERROR: 1, SKIP: 2, 'NO-OP': 0, TOTAL: 5 });
    const failed = r.diagnostics.find((d) => d.code === 'hook-failed');
    // Named as the console's ERROR line names it (dbt's `<package>.<hook>.<n>`); the file and line say where.
    expect(failed?.message).toMatch(/^on-run-start hook p\.on-run-start\.1 failed: .*no_such_table/);
    // Its file and the line of its list entry, not the top of the file.
    const lines = readFileSync(join(dir, 'project.yml'), 'utf8').split('\n');
    expect(failed).toMatchObject({ file: 'project.yml', line: lines.findIndex((l) => l.includes('no_such_table')) + 1 });
    expect(failed!.line).toBeGreaterThan(1);
    const db = join(dir, 'target', 'test.duckdb');
    expect(await queryDuckDb(db, "select count(*)::int as n from information_schema.tables where table_name = 'a'")).toEqual([{ n: 0 }]);
    // on-run-end ran, and saw the model as skipped.
    expect(await queryDuckDb(db, 'select what from main.audit')).toEqual([{ what: 'model.p.a:skipped' }]);
    const runResults = JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; message: string; failures: number | null; adapter_response: unknown }[] };
    // As dbt's safe_run_hooks: failures 0 for a hook that passed, 1 for a failed or skipped one; adapter_response {}.
    expect(runResults.results.map((x) => [x.failures, x.adapter_response])).toEqual([[0, {}], [1, {}], [1, {}], [null, {}], [0, {}]]);
    // The console's lines, as dbt 1.10's LogHookStartLine / LogHookEndLine: a start and an end per hook that ran, an end for the skipped one.
    const hookEvents = reporter.events.flatMap((e) => (e.type === 'hook-started' ? [`${e.index} of ${e.total} START ${e.name}`] : e.type === 'hook-finished' ? [`${e.index} of ${e.total} ${e.status} ${e.name}`] : []));
    expect(hookEvents).toEqual([
      '1 of 3 START p.on-run-start.0',
      '1 of 3 success p.on-run-start.0',
      '2 of 3 START p.on-run-start.1',
      '2 of 3 error p.on-run-start.1',
      '3 of 3 skipped p.on-run-start.2',
      '1 of 1 START p.on-run-end.0',
      '1 of 1 success p.on-run-end.0',
    ]);
    // The run's Concurrency-like line comes first, as dbt's, then the hooks.
    expect(reporter.events.findIndex((e) => e.type === 'run-started')).toBeLessThan(reporter.events.findIndex((e) => e.type === 'hook-started'));
    expect(runResults.results.map((x) => [x.unique_id, x.status])).toEqual([
      ['operation.p.p-on-run-start-0', 'success'],
      ['operation.p.p-on-run-start-1', 'error'],
      ['operation.p.p-on-run-start-2', 'skipped'],
      ['model.p.a', 'skipped'],
      ['operation.p.p-on-run-end-0', 'success'],
    ]);
    expect(runResults.results[1]!.message).toMatch(/no_such_table/);
    // dbt's messages (safe_run_hooks), and a SKIP line for the model, as dbt's SkippingDetails.
    expect(runResults.results.slice(0, 4).map((x) => x.message?.split('\n')[0] ?? null)).toEqual(['p.on-run-start.0 passed', 'p.on-run-start.1 failed, error:', 'p.on-run-start.2 skipped', null]);
    expect(reporter.events.filter((e) => e.type === 'node-finished').map((e) => e.type === 'node-finished' && [e.index, e.total, e.result.uniqueId, e.result.status])).toEqual([[1, 1, 'model.p.a', 'skipped']]);
  });

  it('with flags: skip_nodes_if_on_run_start_fails: false (dbt 1.9-1.11), the nodes still run after a failed on-run-start hook; the run exits 1', async () => {
    const dir = writeProject({
      'project.yml': PROJECT_YML('p', `flags:\n  skip_nodes_if_on_run_start_fails: false\non-run-start:\n  - "create table main.shelf (id int)"\n  - "drop table main.shelf"\n  - "insert into main.shelf values (1)"\n  - "create table main.shelf (id int)"\n`),
      'models/jar.sql': "{{ config(materialized='table') }} select 5 as lid",
      'models/urn.sql': 'select * from main.shelf',
    });
    dirs.push(dir);
    const reporter = new CapturingReporter();
    const r = await build({ projectDir: dir, profilesDir: dir, reporter });
    expect(r.exitCode).toBe(1);
    expect(doneCounts(reporter)).toEqual({ PASS: 3, WARN: 0, ERROR: 2, SKIP: 1, 'NO-OP': 0, TOTAL: 6 });
    const runResults = JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')) as { results: { unique_id: string; status: string }[] };
    // The models finish in either order on two threads.
    const statuses = runResults.results.map((x) => [x.unique_id, x.status]);
    expect([...statuses.slice(0, 4), ...statuses.slice(4).sort()]).toEqual([
      ['operation.p.p-on-run-start-0', 'success'],
      ['operation.p.p-on-run-start-1', 'success'],
      ['operation.p.p-on-run-start-2', 'error'],
      ['operation.p.p-on-run-start-3', 'skipped'],
      ['model.p.jar', 'success'],
      ['model.p.urn', 'error'],
    ]);
    expect(await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select lid from main.jar')).toEqual([{ lid: 5 }]);
    expect(r.diagnostics.find((d) => d.code === 'hook-failed')?.hint).toMatch(/skip_nodes_if_on_run_start_fails/);
  });

  it("runs the sql of a hook written with after_commit() / before_begin(), as dbt's get_hook_dict reads it", async () => {
    const dir = writeProject({
      'project.yml': PROJECT_YML('p', `on-run-start:\n  - "{{ before_begin('create table main.ledger (n int)') }}"\non-run-end:\n  - "{{ after_commit('insert into main.ledger values (7)') }}"\n`),
      'models/a.sql': 'select 1 as x',
    });
    dirs.push(dir);
    const r = await build({ projectDir: dir, profilesDir: dir });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select n from main.ledger')).toEqual([{ n: 7 }]);
  });
});
