/**
 * The bundled CLI (dist/cli-bundle/, scripts/bundle-cli.mjs) that bin/strata.js starts: on its own, without the
 * compiled modules of dist/ beside it, it parses on worker threads, builds on a real DuckDB file and writes
 * compiled SQL; a bundle older than dist/cli/main.js (tsc run again) is passed over.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../test-support/demo-project.js';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { runProcess, runStrata } from '../test-support/strata-cli.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

/** A copy of the package (bin/, dist/, package.json; node_modules linked), to change its dist/ safely. */
function packageCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-bundle-'));
  dirs.push(dir);
  for (const f of ['bin', 'dist', 'package.json']) cpSync(join(repoRoot, f), join(dir, f), { recursive: true });
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

async function strata(pkg: string, project: string, args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; out: string }> {
  const r = await runStrata([...args, '--project-dir', project, '--profiles-dir', project], { bin: join(pkg, 'bin', 'strata.js'), env });
  return { status: r.code, out: r.out };
}

function models(): Record<string, string> {
  const out: Record<string, string> = { 'macros/m.sql': '{% macro cents(col) %}({{ col }} / 100.0){% endmacro %}', 'models/base.sql': 'select 1 as id, 250 as amount' };
  for (let i = 0; i < 40; i++) out[`models/m_${i}.sql`] = `{% set parents = ['base'] %}\nselect id, {{ cents('amount') }} as amount from {% for p in parents %}{{ ref(p) }}{% endfor %}\n`;
  return out;
}

describe('the bundled CLI', () => {
  it('is built with dist/ and is what bin/strata.js starts', () => {
    expect(existsSync(join(repoRoot, 'dist', 'cli-bundle', 'main.js'))).toBe(true);
    // A few files instead of the ~200 modules of dist/: the point of it.
    const files = readdirSync(join(repoRoot, 'dist', 'cli-bundle'));
    expect(files.filter((f) => f.endsWith('.js')).length).toBeLessThan(100);
    // Worker threads start from a file beside the code that starts them.
    for (const worker of ['parse-render-worker.js', 'file-read-worker.js', 'compiled-file-worker.js']) expect(files).toContain(worker);
    // DuckDB's driver, as one file the DuckDB adapter loads from beside itself.
    expect(files).toContain('duckdb-node-api.cjs');
  });

  it('runs on its own: parse on worker threads, build on DuckDB, compiled SQL written', async () => {
    const pkg = packageCopy();
    // Without the compiled modules, only the bundle can answer (and it must not be passed over as stale).
    for (const f of readdirSync(join(pkg, 'dist'))) if (f !== 'cli-bundle' && f !== 'docs-site') rmSync(join(pkg, 'dist', f), { recursive: true });
    const project = writeProject(models());
    dirs.push(project);
    const parsed = await strata(pkg, project, ['parse'], { STRATA_PARSE_PARALLEL_AFTER: '1', STRATA_PARSE_WORKERS: '2', STRATA_PARSE_RENDER_HERE: '0' });
    expect(parsed.out).toContain('Parsed');
    expect(parsed.status).toBe(0);
    const perf = JSON.parse(readFileSync(join(project, 'target', 'perf_info.json'), 'utf8')) as { worker_rendered_path_count: number };
    expect(perf.worker_rendered_path_count).toBeGreaterThan(0);
    const built = await strata(pkg, project, ['build']);
    expect(built.out).toContain('PASS=41');
    expect(built.status).toBe(0);
    expect(await queryDuckDb(join(project, 'target', 'test.duckdb'), 'select amount from main.m_39')).toEqual([{ amount: 2.5 }]);
    expect(readFileSync(join(project, 'target', 'compiled', 'p', 'models', 'm_39.sql'), 'utf8')).toContain('(amount / 100.0)');
  });

  it('shares its caches with the library of the same build (dist/api/): a parse by one is a snapshot for the other', async () => {
    const project = writeProject(models());
    dirs.push(project);
    expect((await strata(repoRoot, project, ['parse'])).status).toBe(0);
    const script = `const api = await import(${JSON.stringify(join(repoRoot, 'dist', 'api', 'index.js'))});
      const out = await api.prepareProject({ projectDir: ${JSON.stringify(project)}, profilesDir: ${JSON.stringify(project)} });
      console.log(out.ok ? out.prepared.parsedFrom : 'failed');`;
    const library = await runProcess(process.execPath, ['--input-type=module', '-e', script]);
    expect(library.stdout.trim()).toBe('snapshot');
    // And the other way round: the CLI after the library's parse, without a file changed, reads the snapshot.
    writeFileSync(join(project, 'models', 'm_0.sql'), 'select 2 as id, 1 as amount\n');
    expect((await runProcess(process.execPath, ['--input-type=module', '-e', script.replace('prepareProject({', 'prepareProject({ storeGraph: true,')])).stdout.trim()).not.toBe('failed');
    expect((await strata(repoRoot, project, ['parse'])).status).toBe(0);
    expect(JSON.parse(readFileSync(join(project, 'target', 'perf_info.json'), 'utf8')).used_graph_snapshot).toBe(true);
  });

  it('is passed over when the compiled CLI is newer (tsc run again after the bundle)', async () => {
    const pkg = packageCopy();
    const main = join(pkg, 'dist', 'cli-bundle', 'main.js');
    writeFileSync(main, "throw new Error('the stale bundle was loaded');\n");
    const old = new Date(Date.now() - 60_000);
    utimesSync(main, old, old);
    const project = writeProject(models());
    dirs.push(project);
    const r = await strata(pkg, project, ['parse']);
    expect(r.out).not.toContain('stale bundle');
    expect(r.status).toBe(0);
    // And the same bundle, newer than dist/cli/main.js, is the one started.
    utimesSync(main, new Date(), new Date());
    expect((await strata(pkg, project, ['parse'])).out).toContain('the stale bundle was loaded');
  });

  it("gives DuckDB's dates, timestamps, times and decimals as text (the bundled driver's classes are named _DuckDB…)", async () => {
    const project = writeProject({ 'models/base.sql': 'select 1 as id' });
    dirs.push(project);
    const sql = "select timestamp '2024-01-02 03:04:05' as ts, date '2024-01-02' as d, time '10:30:00' as t, 12.5::decimal(5, 2) as amount";
    const r = await strata(repoRoot, project, ['show', '--inline', sql, '--output', 'json']);
    expect(r.status).toBe(0);
    const json = JSON.parse(r.out.slice(r.out.indexOf('{'))) as { show: Record<string, unknown>[] };
    expect(json.show).toEqual([{ ts: '2024-01-02 03:04:05', d: '2024-01-02', t: '10:30:00', amount: '12.50' }]);
  });

  it("names a template value's type as the library does (bundled classes keep their names)", async () => {
    const project = writeProject({ 'models/base.sql': 'select 1 as id' });
    dirs.push(project);
    const r = await strata(repoRoot, project, ['compile', '--inline', '{{ modules.datetime.datetime(2020, 1, 1)() }}']);
    expect(r.status).toBe(2);
    expect(r.out).toContain("'PyDateTime' object is not callable");
  });
});
