/** Seeing what ran (issue 20, item 9): the log file, --debug SQL with timings, target/run/, colours, a live line. */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../test-support/demo-project.js';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { runProcess, runStrata } from '../test-support/strata-cli.js';
import { SecretScrubber } from '../diagnostics/index.js';
import { TerminalReporter } from './terminal-reporter.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const project = (): string => {
  const d = writeProject({
    'models/a.sql': "{{ config(materialized='table') }} select 1 as id union all select null",
    'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
  });
  dirs.push(d);
  return d;
};
const strata = async (cwd: string, args: string[], env: Record<string, string> = {}) => {
  const r = await runStrata(args, { cwd, env: { NO_COLOR: '', CI: '', ...env } });
  return { code: r.code, out: r.stdout, err: r.stderr };
};

describe('seeing what ran', () => {
  it('appends each invocation to logs/strata.log, with every SQL statement and its timing', async () => {
    const d = project();
    await strata(d, ['build']);
    await strata(d, ['ls']);
    const log = readFileSync(join(d, 'logs', 'strata.log'), 'utf8');
    expect(log.match(/==== strata /g)).toHaveLength(2);
    // As sent, after the query comment (dbt's debug log shows it too).
    expect(log).toMatch(/\[debug\] SQL ok in \d+\.\d{3}s \(model\.p\.a\):\n\/\* \{"app": "dbt", .*"node_id": "model\.p\.a"\} \*\/\ncreate or replace table "test"\."main"\."a" as/);
    expect(log).toContain('[error] 2 of 2 FAIL');
  });

  it('--log-path moves it; --log-level-file none turns it off', async () => {
    const d = project();
    const elsewhere = mkdtempSync(join(tmpdir(), 'strata-logs-'));
    dirs.push(elsewhere);
    await strata(d, ['ls', '--log-path', elsewhere]);
    expect(existsSync(join(elsewhere, 'strata.log'))).toBe(true);
    expect(existsSync(join(d, 'logs'))).toBe(false);
    await strata(d, ['--log-level-file', 'none', 'ls']);
    expect(existsSync(join(d, 'logs'))).toBe(false);
  });

  it('--debug (and -d, --log-level debug) prints each statement with its timing; without it, none', async () => {
    const d = project();
    for (const flag of [['--debug'], ['-d'], ['--log-level', 'debug']]) {
      const r = await strata(d, ['run', ...flag]);
      expect(r.out, flag.join(' ')).toMatch(/\[debug\] \d+\.\d{3}s model\.p\.a:\n\/\* \{"app": "dbt", .*\} \*\/\ncreate or replace table/);
    }
    expect((await strata(d, ['run'])).out).not.toContain('[debug]');
  });

  it('target/run/ holds the SQL each node ran; a failing test names its compiled SQL', async () => {
    const d = project();
    const r = await strata(d, ['build']);
    expect(r.code).toBe(1);
    expect(readFileSync(join(d, 'target', 'run', 'p', 'models', 'a.sql'), 'utf8')).toMatch(/^create or replace table "test"\."main"\."a" as/);
    expect(readFileSync(join(d, 'target', 'run', 'p', 'models', 'schema.yml', 'not_null_a_id.sql'), 'utf8')).toContain('is null');
    expect(r.out).toContain('compiled code at target/compiled/p/models/schema.yml/not_null_a_id.sql');
    // run_results.json holds dbt's message alone (build_test_run_result), the console adds where the SQL is.
    const failed = (JSON.parse(readFileSync(join(d, 'target', 'run_results.json'), 'utf8')).results as { unique_id: string; message: string | null; failures: number }[]).find((x) => x.unique_id.startsWith('test.p.not_null_a_id'))!;
    expect(failed).toMatchObject({ message: 'Got 1 result, configured to fail if != 0', failures: 1 });
    // The next run leaves a file that would get the same text alone, and rewrites one that would not.
    const a = join(d, 'target', 'run', 'p', 'models', 'a.sql');
    const old = new Date(Date.now() - 3600_000);
    utimesSync(a, old, old);
    const stamp = statSync(a).mtimeMs;
    expect((await strata(d, ['build'])).code).toBe(1);
    expect(statSync(a).mtimeMs).toBe(stamp);
    writeFileSync(a, 'edited by hand;\n');
    expect((await strata(d, ['build'])).code).toBe(1);
    expect(readFileSync(a, 'utf8')).toMatch(/^create or replace table "test"\."main"\."a" as/);
  });

  it('colours with --use-colors, none with --no-use-colors, NO_COLOR or a pipe', async () => {
    const d = project();
    expect((await strata(d, ['run', '--use-colors'])).out).toContain('\x1b[32m[');
    expect((await strata(d, ['run'])).out).not.toContain('\x1b[');
    expect((await strata(d, ['run', '--no-use-colors'])).out).not.toContain('\x1b[');
  });

  it('keeps a live status line at the bottom of a terminal while nodes run', () => {
    let written = '';
    const tty = { isTTY: true, write: (s: string) => ((written += s), true) } as unknown as NodeJS.WriteStream;
    const r = new TerminalReporter(tty, new SecretScrubber(), false, { live: true });
    r.emit({ type: 'run-started', command: 'build', total: 2, threads: 1, invocationId: 'x' });
    r.emit({ type: 'node-started', index: 1, total: 2, uniqueId: 'model.p.a', description: 'model a' });
    r.emit({ type: 'node-finished', index: 1, total: 2, result: { uniqueId: 'model.p.a', name: 'a', resourceType: 'model', status: 'success', message: 'OK', executionTime: 0.1 } });
    expect(written).toMatch(/\[1\/2\] 0 running · PASS 1 WARN 0 ERROR 0 SKIP 0 · \d+\.\ds/);
    r.emit({ type: 'run-finished', elapsed: 1, counts: { PASS: 1, TOTAL: 1 }, status: 'success' });
    // The line is cleared before the summary, and not drawn again.
    expect(written.slice(written.lastIndexOf('\x1b[2K\r'))).not.toContain('running ·');
  });

  it("tells a failed ephemeral model's error in the summary, on the model skipped for it; a plain skip is not an error line", () => {
    let written = '';
    const pipe = { isTTY: false, write: (s: string) => ((written += s), true) } as unknown as NodeJS.WriteStream;
    const r = new TerminalReporter(pipe, new SecretScrubber());
    r.emit({ type: 'run-started', command: 'run', total: 2, threads: 1, invocationId: 'x' });
    const because = 'Compilation Error in model.p.a, caused by compilation error in referenced ephemeral model model.p.e: no such macro';
    r.emit({ type: 'node-finished', index: 1, total: 2, result: { uniqueId: 'model.p.a', name: 'a', resourceType: 'model', status: 'skipped', message: because, executionTime: 0 } });
    r.emit({ type: 'node-finished', index: 2, total: 2, result: { uniqueId: 'model.p.b', name: 'b', resourceType: 'model', status: 'skipped', message: 'Skipped because model.p.a failed', executionTime: 0 } });
    r.emit({ type: 'run-finished', elapsed: 1, counts: { SKIP: 2, TOTAL: 2 }, status: 'error' });
    expect(written).toContain(because);
    expect(written).not.toContain('Skipped because model.p.a failed');
  });

  it('writes node lines to a pipe or file together, in order, before any other line and within 0.1 s', async () => {
    const writes: string[] = [];
    const pipe = { isTTY: false, write: (s: string) => (writes.push(s), true) } as unknown as NodeJS.WriteStream;
    const r = new TerminalReporter(pipe, new SecretScrubber());
    r.emit({ type: 'node-started', index: 1, total: 2, uniqueId: 'model.p.a', description: 'model a' });
    r.emit({ type: 'node-finished', index: 1, total: 2, result: { uniqueId: 'model.p.a', name: 'a', resourceType: 'model', status: 'success', message: 'OK', executionTime: 0.1 } });
    expect(writes).toEqual([]);
    r.emit({ type: 'info', message: 'a note' });
    expect(writes).toHaveLength(2);
    expect(writes[0]).toMatch(/^1 of 2 START model a \.+ \[RUN\]\n1 of 2 OK created model a \.+ \[OK in 0\.10s\]\n$/);
    expect(writes[1]).toBe('a note\n');
    r.emit({ type: 'node-started', index: 2, total: 2, uniqueId: 'model.p.b', description: 'model b' });
    // Not at the next turn (a write per node is what this saves), but soon after, with whatever followed it.
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(2);
    r.emit({ type: 'node-finished', index: 2, total: 2, result: { uniqueId: 'model.p.b', name: 'b', resourceType: 'model', status: 'success', message: 'OK', executionTime: 0.1 } });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(writes).toHaveLength(3);
    expect(writes[2]).toMatch(/^2 of 2 START model b .*\n2 of 2 OK created model b /);
  });

  it('keeps third-party runtime warnings out of the output', async () => {
    const d = project();
    const script = `import(${JSON.stringify(join(repoRoot, 'dist', 'cli', 'main.js'))}).then(async (m) => { const run = m.main(['node', 'strata', 'ls']); process.emitWarning('The AWS SDK for JavaScript (v3) will no longer support Node.js 18', { type: 'NodeDeprecationWarning' }); process.exitCode = await run; });`;
    const r = await runProcess(process.execPath, ['-e', script], { cwd: d });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain('AWS SDK');
  });
});
