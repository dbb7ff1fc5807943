/** The packaged CLI (bin/strata.js over dist/), as a user runs it: output, exit codes, no stack traces. */
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../test-support/demo-project.js';
import { projectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { runProcess, runStrata, strataBin as bin } from '../test-support/strata-cli.js';

const strata = async (args: string[], cwd = repoRoot, env: Record<string, string> = {}) => {
  const r = await runStrata(args, { cwd, env });
  return { code: r.code, out: r.stdout, err: r.stderr };
};
const project = projectsRemovedAfterAll();

describe('strata CLI', () => {
  it('prints its version and help', async () => {
    expect((await strata(['--version'])).code).toBe(0);
    const help = await strata(['--help']);
    expect(help.code).toBe(0);
    for (const cmd of ['build', 'run', 'test', 'seed', 'compile', 'parse', 'ls', 'clean', 'debug', 'init', 'land']) expect(help.out).toContain(cmd);
  });

  it('stops quietly when the reader of its output has left (strata ls | head)', async () => {
    const d = project({ 'models/a.sql': 'select 1 as id', 'models/b.sql': "select * from {{ ref('a') }}" });
    // `true` exits at once, long before Strata writes: every write meets a closed pipe.
    const r = await runProcess('bash', ['-c', `"${process.execPath}" "${bin}" ls --project-dir "${d}" --profiles-dir "${d}" | true; echo "exit=\${PIPESTATUS[0]}"`]);
    expect(r.stdout.trim()).toBe('exit=0');
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|at /);
  });

  it('says so, without a stack trace, when another process has the DuckDB file open', async () => {
    const d = project({ 'models/a.sql': 'select 1 as id' });
    const db = join(d, 'target', 'test.duckdb');
    mkdirSync(join(d, 'target'), { recursive: true });
    // Another process holds the file, as a second strata command or a DuckDB shell would.
    const holder = spawn(process.execPath, ['--input-type=module', '-e', `const { DuckDBInstance } = await import('@duckdb/node-api'); const i = await DuckDBInstance.create(${JSON.stringify(db)}); await i.connect(); console.log('held'); setInterval(() => {}, 1000);`], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((ready, fail) => {
        holder.stdout!.on('data', (c: Buffer) => c.toString().includes('held') && ready());
        holder.once('exit', () => fail(new Error('the lock holder exited')));
      });
      const r = await strata(['build', '--project-dir', d, '--profiles-dir', d]);
      expect(r.code).toBe(2);
      const printed = r.out + r.err;
      expect(printed).toContain('[warehouse-locked]');
      expect(printed).toContain('in use by another process');
      expect(printed).not.toMatch(/internal error|\n\s+at /);
    } finally {
      holder.kill();
    }
  });

  it('names the file, without a stack trace, when it cannot write under target/', async () => {
    const d = project({ 'models/a.sql': 'select 1 as id', target: 'a file where the target folder should be' });
    for (const cmd of ['parse', 'build']) {
      const r = await strata([cmd, '--project-dir', d, '--profiles-dir', d]);
      expect(r.code, cmd).toBe(2);
      // Found before the warehouse is opened: the target path is a file.
      expect(r.out + r.err).toContain('[target-path-invalid]');
      expect(r.out + r.err).toContain(join(d, 'target'));
      expect(r.out + r.err).not.toMatch(/internal error|\n\s+at /);
    }
  });

  it('builds a project with dbt-style lines and exits 0', async () => {
    const d = project({ 'models/a.sql': "{{ config(materialized='table') }} select 1 as id", 'models/b.sql': "select * from {{ ref('a') }}" });
    const r = await strata(['build', '--project-dir', d, '--profiles-dir', d]);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/1 of 2 OK created sql table model main\.a \.+ \[OK in \d+\.\d\ds\]/);
    expect(r.out).toContain('Done. PASS=2 WARN=0 ERROR=0 SKIP=0 NO-OP=0 TOTAL=2');
  });

  it('docs generate names the artifacts where the project writes them (target-path), from the working directory', async () => {
    const d = project({ 'project.yml': 'name: p\nprofile: p\ntarget-path: out/artifacts\n', 'models/a.sql': 'select 1 as id' });
    const r = await strata(['docs', 'generate', '--project-dir', d, '--profiles-dir', d], d);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain('Catalog written to out/artifacts/catalog.json: 0 nodes, 0 sources');
    expect(r.out).toContain('Column lineage written to out/artifacts/lineage.json');
    expect(existsSync(join(d, 'out', 'artifacts', 'catalog.json'))).toBe(true);
  });

  it("prints the project's warnings before the run, as dbt does, and not again after the summary", async () => {
    const d = project({ 'project.yml': 'name: p\nprofile: p\nbogus_key: 1\n', 'models/a.sql': 'select 1 as id' });
    const r = await strata(['build', '--project-dir', d, '--profiles-dir', d]);
    expect(r.code, r.out + r.err).toBe(0);
    const warning = "project.yml:3: warn [project-unknown-key] unknown key 'bogus_key'";
    expect(r.out.split(warning).length - 1, r.out).toBe(1);
    expect(r.out.indexOf(warning)).toBeLessThan(r.out.indexOf('Running build on 1 node'));
  });

  it("takes dbt's global configs from DBT_* variables and the project's flags:, the command line first", async () => {
    const failing = { 'models/a.sql': 'select * from no_such_table', 'models/b.sql': 'select 1 as id' };
    // flags: fail_fast stops the run at the first failure (one thread: b waits behind a).
    const d = project({ 'project.yml': 'name: p\nprofile: p\nflags:\n  fail_fast: true\n', ...failing });
    const stopped = await strata(['run', '--threads', '1', '--project-dir', d, '--profiles-dir', d]);
    expect(stopped.code).toBe(1);
    expect(stopped.out).toMatch(/SKIP=1/);
    // DBT_FAIL_FAST=false outranks the project file.
    expect((await strata(['run', '--threads', '1', '--project-dir', d, '--profiles-dir', d], repoRoot, { DBT_FAIL_FAST: 'false' })).out).toMatch(/PASS=1 WARN=0 ERROR=1 SKIP=0/);
    // DBT_WARN_ERROR makes a project warning stop the command, as --warn-error does.
    const warned = project({ 'project.yml': 'name: p\nprofile: p\nbogus_key: 1\n', 'models/a.sql': 'select 1 as id' });
    expect((await strata(['build', '--project-dir', warned, '--profiles-dir', warned])).code).toBe(0);
    expect((await strata(['build', '--project-dir', warned, '--profiles-dir', warned], repoRoot, { DBT_WARN_ERROR: 'true' })).code).toBe(2);
    // log_format: json in flags: one JSON event per line; the command line's --log-format text wins over it.
    const json = project({ 'project.yml': 'name: p\nprofile: p\nflags:\n  log_format: json\n', 'models/a.sql': 'select 1 as id' });
    const lines = (await strata(['build', '--project-dir', json, '--profiles-dir', json])).out.trim().split('\n');
    expect(lines.every((l) => l.startsWith('{'))).toBe(true);
    expect((await strata(['build', '--log-format', 'text', '--project-dir', json, '--profiles-dir', json])).out).toContain('Done. PASS=1');
  });

  it('exits 1 when a node fails and names the file', async () => {
    const d = project({ 'models/a.sql': 'select * from no_such_table' });
    const r = await strata(['run', '--project-dir', d, '--profiles-dir', d]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('models/a.sql');
    expect(r.out).not.toMatch(/at .*\.js:\d+/);
  });

  it('exits 2 on a bad project with file:line and a hint, and no stack trace', async () => {
    const d = project({ 'models/a.sql': "select * from {{ ref('nope') }}" });
    const r = await strata(['build', '--project-dir', d, '--profiles-dir', d]);
    expect(r.code).toBe(2);
    expect(r.out).toContain("models/a.sql:1:18: error [ref-not-found]");
    expect(r.out + r.err).not.toMatch(/at .*\.js:\d+/);
    expect(existsSync(join(d, 'target', 'test.duckdb'))).toBe(false);
  });

  it('has nothing to do when the selection is empty: a warning, exit 0, no warehouse opened, no hook run', async () => {
    const d = project({ 'project.yml': "name: p\nprofile: p\non-run-start: \"create table hook_ran as select 1 as x\"\n", 'models/a.sql': 'select 1 as id' });
    const r = await strata(['run', '--select', 'tag:nightly', '--project-dir', d, '--profiles-dir', d]);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain("--select: warn [selector-matched-nothing] --select 'tag:nightly' does not match any node");
    expect(r.out).toContain('warn [nothing-to-do] nothing to do: no node matches the selection');
    expect(r.out).not.toContain('Running run');
    expect(existsSync(join(d, 'target', 'test.duckdb'))).toBe(false);
    expect(JSON.parse(readFileSync(join(d, 'target', 'run_results.json'), 'utf8')).results).toEqual([]);
  });

  it('builds a microbatch model over --event-time-start/--event-time-end; a bad one is exit 2 with no warehouse opened', async () => {
    const d = project({ 'models/m.sql': "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', batch_size='day', begin='2024-01-01') }}\nselect timestamp '2024-01-02 05:00:00' as ts" });
    const bad = await strata(['build', '--event-time-start', '2024-01-03', '--event-time-end', '2024-01-02', '--project-dir', d, '--profiles-dir', d]);
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('--event-time-start: error [event-time-invalid] --event-time-start (2024-01-03) must be before --event-time-end (2024-01-02)');
    expect(bad.out + bad.err).not.toMatch(/at .*\.js:\d+/);
    expect(existsSync(join(d, 'target', 'test.duckdb'))).toBe(false);
    const ok = await strata(['build', '--event-time-start', '2024-01-01', '--event-time-end', '2024-01-03', '--project-dir', d, '--profiles-dir', d]);
    expect(ok.code, ok.out + ok.err).toBe(0);
    // No input has an event_time, so each of the two days reads the same row (as dbt's would), and dbt's warning says so.
    expect(ok.out).toContain('[INSERT 2 (2 batches)');
    expect(ok.out).toContain("models/m.sql:1: warn [microbatch-no-event-time-input] the microbatch model 'm' has no ref or source input with an event_time config");
  });

  it('exits 2 on bad usage', async () => {
    expect((await strata(['build', '--threads', 'many'])).code).toBe(2);
    expect((await strata(['frobnicate'])).code).toBe(2);
    // dbt's test, snapshot (and Strata's land) have no --full-refresh: rejected as unknown, not silently ignored.
    for (const command of ['test', 'snapshot', 'land']) {
      const r = await strata([command, '--full-refresh']);
      expect([command, r.code, r.err]).toEqual([command, 2, expect.stringContaining("unknown option '--full-refresh'")]);
    }
  });

  it('emits one JSON event per line with --log-format json', async () => {
    const d = project({ 'models/a.sql': 'select 1 as id' });
    const r = await strata(['run', '--project-dir', d, '--profiles-dir', d, '--log-format', 'json']);
    expect(r.code).toBe(0);
    const events = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => e.type)).toEqual(['run-started', 'node-started', 'node-finished', 'run-finished']);
    expect(events[2].result).toMatchObject({ uniqueId: 'model.p.a', status: 'success' });
  });

  it('lists nodes, compiles, cleans', async () => {
    const d = project({ 'models/a.sql': 'select 1 as id', 'models/b.sql': "select * from {{ ref('a') }}" });
    expect((await strata(['ls', '--project-dir', d, '--profiles-dir', d, '-s', 'a+', '--output', 'name'])).out.trim().split('\n')).toEqual(['a', 'b']);
    const c = await strata(['compile', '--project-dir', d, '--profiles-dir', d]);
    expect(c.code).toBe(0);
    expect(existsSync(join(d, 'target', 'compiled', 'p', 'models', 'b.sql'))).toBe(true);
    expect(existsSync(join(d, 'target', 'manifest.json'))).toBe(true);
    const cleaned = await strata(['clean', '--project-dir', d]);
    expect(cleaned.code).toBe(0);
    // The fixture's database is target/test.duckdb: clean keeps it (and says so), and deletes the rest.
    expect(existsSync(join(d, 'target', 'manifest.json'))).toBe(false);
    expect(existsSync(join(d, 'target', 'compiled'))).toBe(false);
  });

  it('run-operation calls a macro with --args and prints its log lines', async () => {
    const d = project({ 'models/a.sql': 'select 1 as id', 'macros/ops.sql': "{% macro hello(who='world') %}{{ log('hello ' ~ who ~ ', ' ~ run_query('select 41 + 1 as n').columns[0].values()[0], info=True) }}{% endmacro %}" });
    const r = await strata(['run-operation', 'hello', '--args', '{who: strata}', '--project-dir', d, '--profiles-dir', d]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('hello strata, 42');
    expect((await strata(['run-operation', 'nope', '--project-dir', d, '--profiles-dir', d])).code).toBe(2);
  });

  it('takes the dbt flags orchestrators pass: --profile, --warn-error, --log-level, --no-version-check, --use-colors, --cache-selected-only', async () => {
    const d = project({
      'models/a.sql': 'select 1 as id',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: missing\n',
      'profiles.yml': 'p:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: target/p.duckdb\n      schema: main\nother:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: target/other.duckdb\n      schema: main\n',
    });
    const ok = await strata(['build', '--project-dir', d, '--profiles-dir', d, '--profile', 'other', '--no-version-check', '--use-colors', '--cache-selected-only', '--log-level', 'warn']);
    expect(ok.code).toBe(0);
    expect(existsSync(join(d, 'target', 'other.duckdb'))).toBe(true);
    expect(existsSync(join(d, 'target', 'p.duckdb'))).toBe(false);
    // The YAML describes a model that does not exist: a warning, which --warn-error turns into an error.
    const strict = await strata(['build', '--project-dir', d, '--profiles-dir', d, '--warn-error']);
    expect(strict.code).toBe(2);
    expect(strict.out + strict.err).toContain('patch-target-not-found');
    expect((await strata(['ls', '--project-dir', d, '--profiles-dir', d, '--warn-error'])).code).toBe(2);
    expect((await strata(['compile', '--project-dir', d, '--profiles-dir', d, '--warn-error', '--offline'])).code).toBe(2);
  });

  it('--target-path (or STRATA_TARGET_PATH) puts artifacts and caches elsewhere, as dbt\u2019s', async () => {
    const d = project({ 'models/a.sql': 'select 1 as id' });
    const elsewhere = join(d, 'task-1-target');
    expect((await strata(['parse', '--project-dir', d, '--profiles-dir', d, '--target-path', elsewhere])).code).toBe(0);
    expect(existsSync(join(elsewhere, 'manifest.json'))).toBe(true);
    expect((await strata(['parse', '--project-dir', d, '--profiles-dir', d], repoRoot, { STRATA_TARGET_PATH: 'task-2' })).code).toBe(0);
    expect(existsSync(join(d, 'task-2', 'manifest.json'))).toBe(true);
    expect((await strata(['compile', '--project-dir', d, '--profiles-dir', d, '--target-path', 'task-3', '--offline'])).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(d, 'task-3', 'manifest.json'), 'utf8')) as { nodes: Record<string, { compiled_path: string }> };
    expect(manifest.nodes['model.p.a']!.compiled_path).toBe('task-3/compiled/p/models/a.sql');
    expect(existsSync(join(d, 'target', 'manifest.json'))).toBe(false);
  });

  it('parse writes the manifest and stores the graph; the next parse reuses it', async () => {
    const d = project({ 'models/a.sql': 'select 1 as id', 'models/b.sql': "select * from {{ ref('a') }}" });
    const first = await strata(['parse', '--project-dir', d, '--profiles-dir', d]);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/Parsed 2 nodes in \d+ ms \(parsed from the files\)/);
    expect(existsSync(join(d, 'target', 'manifest.json'))).toBe(true);
    const perf = JSON.parse(readFileSync(join(d, 'target', 'perf_info.json'), 'utf8'));
    expect(perf).toMatchObject({ path_count: 2, parsed_path_count: 2, static_analysis_path_count: 2, used_graph_snapshot: false, is_partial_parse_enabled: true });
    expect((await strata(['parse', '--project-dir', d, '--profiles-dir', d])).out).toContain('nothing changed since the last parse');
    expect(JSON.parse(readFileSync(join(d, 'target', 'perf_info.json'), 'utf8'))).toMatchObject({ parsed_path_count: 0, used_graph_snapshot: true });
    const bad = project({ 'models/a.sql': "select * from {{ ref('nope') }}" });
    const failed = await strata(['parse', '--project-dir', bad, '--profiles-dir', bad]);
    expect(failed.code).toBe(2);
    expect(failed.out + failed.err).toContain('models/a.sql');
  });

  it('--no-partial-parse parses afresh and writes no parse cache', async () => {
    const d = project({ 'models/a.sql': 'select 1 as id' });
    expect((await strata(['ls', '--project-dir', d, '--profiles-dir', d, '--no-partial-parse'])).code).toBe(0);
    expect(existsSync(join(d, 'target'))).toBe(false);
    expect((await strata(['ls', '--project-dir', d, '--profiles-dir', d])).code).toBe(0);
    expect(existsSync(join(d, 'target', 'graph_snapshot.strata.json'))).toBe(true);
    expect(existsSync(join(d, 'target', 'partial_parse.strata.json'))).toBe(true);
  });

  it('init scaffolds a project that builds, and debug checks it', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'strata-init-'));
    try {
      expect((await strata(['init', 'shop', '--dir', parent])).code).toBe(0);
      const d = join(parent, 'shop');
      const dbg = await strata(['debug'], d);
      expect(dbg.code, dbg.out).toBe(0);
      expect(dbg.out).toContain('All checks passed!');
      // dbt's debug --connection: the connection only; a target the profile lacks is one failed check.
      const conn = await strata(['debug', '--connection'], d);
      expect(conn.code, conn.out).toBe(0);
      expect(conn.out).toContain('Skipping steps before connection verification');
      expect(conn.out).not.toMatch(/project\s+shop/);
      const noTarget = await strata(['debug', '--connection', '--target', 'nowhere'], d);
      expect(noTarget.code).toBe(2);
      expect(noTarget.out).toContain('1 check failed');
      const b = await strata(['build'], d);
      expect(b.code, b.out).toBe(0);
      expect(b.out).toContain('PASS=4');
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('init --demo copies the bundled demo, landing files included, and it builds', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'strata-init-demo-'));
    try {
      expect((await strata(['init', '--demo', 'telecom', '--dir', parent])).code).toBe(0);
      const d = join(parent, 'telecom');
      expect(existsSync(join(d, 'landing', 'customers'))).toBe(true);
      const b = await strata(['build'], d);
      expect(b.code, b.out).toBe(0);
      expect(b.out).toMatch(/Done\. PASS=\d+ WARN=0 ERROR=0 SKIP=0/);
      expect(existsSync(join(d, 'complaints.duckdb'))).toBe(true);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('the npm package ships its LICENSE, the docs its README links and the demo init --demo copies', async () => {
    const pack = await runProcess('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot });
    expect(pack.code, pack.stderr).toBe(0);
    const packed = JSON.parse(pack.stdout) as { files: { path: string }[] }[];
    const files = packed[0]!.files.map((f) => f.path);
    for (const f of ['LICENSE', 'README.md', 'docs/templating.md', 'project.yml', 'profiles.yml', 'models/silver/customers.sql', 'bin/strata.js']) expect(files).toContain(f);
    expect(files.some((f) => f.startsWith('landing/customers/'))).toBe(true);
    expect(files.some((f) => f.startsWith('src/'))).toBe(false);
  });

  it('keeps profile secrets out of output', async () => {
    const d = project({
      'profiles.yml': "p:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: target/test.duckdb\n      password: \"{{ env_var('STRATA_TEST_SECRET') }}\"\n",
      'models/a.sql': "select 'hunter2-secret-value' as leaked",
    });
    const r = await strata(['run', '--project-dir', d, '--profiles-dir', d, '--log-format', 'json'], repoRoot, { STRATA_TEST_SECRET: 'hunter2-secret-value' });
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('hunter2-secret-value');
  });
});
