/** run_results.json of `compile` and `docs generate`, as dbt writes it, and what `retry` and the docs site make of it. */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { build, compile, docsGenerate, retry, runOperation, show } from './index.js';
import { readDocsArtifacts } from '../docs/read-artifacts.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

type Results = { args: Record<string, unknown>; results: { unique_id: string; status: string; message: unknown; compiled: boolean; compiled_code: string | null; relation_name: string | null; timing: { name: string }[] }[] };
const readResults = (dir: string): Results => JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')) as Results;

function project(): string {
  const dir = writeProject({
    'models/parcels.sql': "{{ config(materialized='table') }} select 1 as parcel_id, 'lisbon' as depot union all select 2, 'porto'",
    'models/by_depot.sql': "select depot, count(*) as parcels from {{ ref('parcels') }} group by depot",
    'models/schema.yml': 'version: 2\nmodels:\n  - name: parcels\n    columns:\n      - name: parcel_id\n        data_tests: [unique, not_null]\n',
  });
  dirs.push(dir);
  return dir;
}

describe('run_results.json of compile and docs generate', () => {
  it('compile writes one success result per compiled node, with its compiled code; retry then has nothing to do', async () => {
    const dir = project();
    const compiled = await compile({ projectDir: dir, profilesDir: dir });
    expect(compiled.exitCode).toBe(0);
    const file = readResults(dir);
    expect(file.args).toMatchObject({ which: 'compile', select: [], target: 'dev' });
    expect(file.results.map((r) => r.unique_id.split('.').slice(0, 3).join('.')).sort()).toEqual(['model.p.by_depot', 'model.p.parcels', 'test.p.not_null_parcels_parcel_id', 'test.p.unique_parcels_parcel_id']);
    const byDepot = file.results.find((r) => r.unique_id === 'model.p.by_depot')!;
    expect(byDepot).toMatchObject({ status: 'success', message: null, compiled: true, relation_name: '"test"."main"."by_depot"' });
    expect(byDepot.compiled_code).toContain('"test"."main"."parcels"');
    expect(byDepot.timing.map((t) => t.name)).toEqual(['compile', 'execute']);

    const again = await retry({ projectDir: dir, profilesDir: dir });
    expect(again.exitCode).toBe(0);
    expect(again.diagnostics.map((d) => d.code)).toEqual(['nothing-to-retry']);
    expect(again.results).toEqual([]);
  });

  it('a compile with an error writes none, as dbt: the last run_results.json stays', async () => {
    const dir = project();
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    const before = readFileSync(join(dir, 'target', 'run_results.json'), 'utf8');
    writeFileSync(join(dir, 'models/by_depot.sql'), "select {{ no_such_macro() }} from {{ ref('parcels') }}");
    expect((await compile({ projectDir: dir, profilesDir: dir })).exitCode).toBe(2);
    expect(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')).toBe(before);
  });

  it("docs generate after build writes generate's results, and the site still shows the build's test results", async () => {
    const dir = project();
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    const docs = await docsGenerate({ projectDir: dir, profilesDir: dir });
    expect(docs.exitCode).toBe(0);
    const file = readResults(dir);
    expect(file.args.which).toBe('generate');
    expect(new Set(file.results.map((r) => r.status))).toEqual(new Set(['success']));
    expect(existsSync(join(dir, 'target', 'compiled', 'p', 'models', 'by_depot.sql'))).toBe(true);
    // The build's results, kept for the site: a test `pass`, not a compile's `success`.
    const test = 'test.p.unique_parcels_parcel_id';
    const site = (): Record<string, unknown> | undefined => ((readDocsArtifacts(join(dir, 'target')).artifacts?.runResults?.results ?? []) as { unique_id: string; status: string }[]).find((r) => r.unique_id.startsWith(test));
    expect(site()).toMatchObject({ status: 'pass' });
    // A second docs generate, and a compile between: still the build's.
    expect((await compile({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect((await docsGenerate({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect(site()).toMatchObject({ status: 'pass' });
    // data.js holds the site's data as a JSON string (write-site.ts): its quotes escaped.
    expect(readFileSync(join(dir, 'target', 'docs', 'data.js'), 'utf8')).toContain('\\"status\\":\\"pass\\"');
    // retry after docs generate: nothing to do.
    const again = await retry({ projectDir: dir, profilesDir: dir });
    expect([again.exitCode, again.diagnostics.map((d) => d.code)]).toEqual([0, ['nothing-to-retry']]);
  });

  it('a run-operation between build and docs generate leaves the build\'s results to the site', async () => {
    const dir = project();
    mkdirSync(join(dir, 'macros'), { recursive: true });
    writeFileSync(join(dir, 'macros/noop.sql'), '{% macro noop() %}{% do log("nothing", info=true) %}{% endmacro %}');
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect((await runOperation({ projectDir: dir, profilesDir: dir, macro: 'noop' })).exitCode).toBe(0);
    const kept = JSON.parse(readFileSync(join(dir, 'target', 'docs', 'last_node_run.json'), 'utf8')) as Results;
    expect(kept.args.which).toBe('build');
    expect((await docsGenerate({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    const runs = (readDocsArtifacts(join(dir, 'target')).artifacts?.runResults?.results ?? []) as { unique_id: string; status: string }[];
    expect(runs.find((r) => r.unique_id.startsWith('test.p.not_null_parcels_parcel_id'))).toMatchObject({ status: 'pass' });
  });

  it("compile --inline and show write run_results.json with their node's result, as dbt's (a show that fails writes none)", async () => {
    const dir = project();
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    rmSync(join(dir, 'target', 'manifest.json'));
    expect((await compile({ projectDir: dir, profilesDir: dir, inline: "select depot from {{ ref('parcels') }}" })).exitCode).toBe(0);
    let file = readResults(dir);
    expect(file.args).toMatchObject({ which: 'compile', inline: "select depot from {{ ref('parcels') }}" });
    expect(file.results).toHaveLength(1);
    expect(file.results[0]).toMatchObject({ unique_id: 'sql_operation.p.inline_query', status: 'success', message: null, compiled: true, relation_name: null, compiled_code: 'select depot from "test"."main"."parcels"' });
    expect(file.results[0]!.timing.map((t) => t.name)).toEqual(['compile', 'execute']);
    expect(existsSync(join(dir, 'target', 'manifest.json'))).toBe(true);

    expect((await show({ projectDir: dir, profilesDir: dir, select: ['by_depot'], limit: 1 })).exitCode).toBe(0);
    file = readResults(dir);
    expect(file.args).toMatchObject({ which: 'show', select: ['by_depot'], limit: 1 });
    expect(file.results).toHaveLength(1);
    expect(file.results[0]).toMatchObject({ unique_id: 'model.p.by_depot', status: 'success', message: null, relation_name: '"test"."main"."by_depot"' });
    expect(file.results[0]!.compiled_code).toMatch(/"test"\."main"\."parcels"[\s\S]*limit 1$/);
    expect((await show({ projectDir: dir, profilesDir: dir, inline: 'select 7 as n' })).exitCode).toBe(0);
    expect(readResults(dir).results.map((r) => [r.unique_id, r.relation_name])).toEqual([['sql_operation.p.inline_query', null]]);

    const before = readFileSync(join(dir, 'target', 'run_results.json'), 'utf8');
    expect((await show({ projectDir: dir, profilesDir: dir, inline: 'select * from no_such_parcels' })).exitCode).toBe(1);
    expect(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')).toBe(before);
  });

  it('docs generate --no-compile writes no run_results.json, as dbt', async () => {
    const dir = project();
    expect((await docsGenerate({ projectDir: dir, profilesDir: dir, noCompile: true })).exitCode).toBe(0);
    expect(existsSync(join(dir, 'target', 'run_results.json'))).toBe(false);
  });
});
