/** The terminal reporter: its progress bar library is loaded only when a bar is shown. */
import { describe, it, expect } from 'vitest';
import { Writable } from 'node:stream';
import { TerminalReporter } from './terminal-reporter.js';
import { SecretScrubber } from '../diagnostics/index.js';

function terminal(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write: (c: Buffer, _e, done) => (chunks.push(c.toString()), done()) }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY, columns: 100 });
  return { stream, text: () => chunks.join('') };
}

describe('TerminalReporter progress', () => {
  it('shows a bar on a terminal and lines elsewhere, from the first event to the last', () => {
    for (const isTTY of [true, false]) {
      const { stream, text } = terminal(isTTY);
      const reporter = new TerminalReporter(stream, new SecretScrubber());
      for (const done of [0, 1, 2]) reporter.emit({ type: 'progress', label: 'landing raw.orders', done, total: 2, bytesDone: done * 1e6 });
      if (!isTTY) expect(text()).toContain('landing raw.orders');
    }
  });
});

describe('TerminalReporter node lines', () => {
  it("prints an exposure's NO-OP line and no START line, and the Done. line's NO-OP count, as dbt 1.10", () => {
    const chunks: string[] = [];
    const stream = Object.assign(new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c.toString()), cb()) }), { isTTY: false, columns: 100 }) as unknown as NodeJS.WriteStream;
    const terminal = new TerminalReporter(stream, new SecretScrubber());
    terminal.emit({ type: 'node-started', index: 3, total: 3, uniqueId: 'exposure.p.harbour_board', description: 'exposure harbour_board' });
    terminal.emit({ type: 'node-finished', index: 3, total: 3, result: { uniqueId: 'exposure.p.harbour_board', description: 'exposure harbour_board', name: 'harbour_board', resourceType: 'exposure', status: 'no-op', message: 'NO-OP', executionTime: 0 } });
    terminal.emit({ type: 'run-finished', elapsed: 0.1, counts: { PASS: 2, WARN: 0, ERROR: 0, SKIP: 0, 'NO-OP': 1, TOTAL: 3 }, status: 'success' });
    const text = chunks.join('');
    expect(text).not.toContain('START');
    expect(text).toMatch(/3 of 3 NO-OP exposure harbour_board \.+ \[NO-OP in 0\.00s\]/);
    expect(text).toContain('Done. PASS=2 WARN=0 ERROR=0 SKIP=0 NO-OP=1 TOTAL=3');
  });
});

describe('TerminalReporter project hook lines', () => {
  /** An on-run-start hook that passes, one that fails, one skipped after it, then a node and an on-run-end hook. */
  function hookRun(quiet: boolean, colors = false): string {
    const chunks: string[] = [];
    const stream = Object.assign(new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c.toString()), cb()) }), { isTTY: false, columns: 100 }) as unknown as NodeJS.WriteStream;
    const t = new TerminalReporter(stream, new SecretScrubber(), quiet, { colors });
    const start = { hook: 'on-run-start', total: 3 } as const;
    t.emit({ type: 'run-started', command: 'run', total: 1, threads: 1, invocationId: 'x' });
    t.emit({ type: 'hook-started', ...start, name: 'quay.on-run-start.0', index: 1 });
    t.emit({ type: 'hook-finished', ...start, name: 'quay.on-run-start.0', index: 1, status: 'success', executionTime: 0.021 });
    t.emit({ type: 'hook-started', ...start, name: 'quay.on-run-start.1', index: 2 });
    t.emit({ type: 'hook-finished', ...start, name: 'quay.on-run-start.1', index: 2, status: 'error', executionTime: 0.004 });
    t.emit({ type: 'hook-finished', ...start, name: 'quay.on-run-start.2', index: 3, status: 'skipped', executionTime: 0 });
    t.emit({ type: 'node-started', index: 1, total: 1, uniqueId: 'model.quay.cranes', description: 'sql view model main.cranes' });
    t.emit({ type: 'node-finished', index: 1, total: 1, result: { uniqueId: 'model.quay.cranes', description: 'sql view model main.cranes', name: 'cranes', resourceType: 'model', status: 'success', message: 'OK', executionTime: 0.01 } });
    t.emit({ type: 'hook-started', hook: 'on-run-end', total: 1, name: 'quay.on-run-end.0', index: 1 });
    t.emit({ type: 'hook-finished', hook: 'on-run-end', total: 1, name: 'quay.on-run-end.0', index: 1, status: 'success', executionTime: 0.002 });
    t.emit({ type: 'run-finished', elapsed: 0.1, counts: { PASS: 3, WARN: 0, ERROR: 1, SKIP: 1, 'NO-OP': 0, TOTAL: 5 }, status: 'error' });
    t.flush();
    return chunks.join('');
  }

  it("prints them as dbt 1.10's LogHookStartLine / LogHookEndLine, in blocks set apart by blank lines, the error left to the diagnostic", () => {
    const lines = hookRun(false).split('\n');
    const shape = (l: string): string => l.replace(/ \.+ /, ' … ');
    expect(lines.slice(0, 13).map(shape)).toEqual([
      'Running run on 1 node with 1 thread',
      '',
      '1 of 3 START hook: quay.on-run-start.0 … [RUN]',
      '1 of 3 OK hook: quay.on-run-start.0 … [OK in 0.02s]',
      '2 of 3 START hook: quay.on-run-start.1 … [RUN]',
      '2 of 3 ERROR hook: quay.on-run-start.1 … [ERROR in 0.00s]',
      '3 of 3 SKIP hook: quay.on-run-start.2 … [SKIP in 0.00s]',
      '',
      '1 of 1 START sql view model main.cranes … [RUN]',
      '1 of 1 OK created sql view model main.cranes … [OK in 0.01s]',
      '',
      '1 of 1 START hook: quay.on-run-end.0 … [RUN]',
      '1 of 1 OK hook: quay.on-run-end.0 … [OK in 0.00s]',
    ]);
    // As dbt-common's format_fancy_output_line: the text padded with dots to 80 columns, then the tag.
    expect(lines[3]).toBe(`${'1 of 3 OK hook: quay.on-run-start.0 '.padEnd(80, '.')} [OK in 0.02s]`);
    // The hook's error is not repeated in the closing summary: the command's hook-failed diagnostic tells it.
    expect(lines.slice(13).join('\n')).not.toMatch(/hook|quay/);
  });

  it('with -q prints only the ERROR line; with colours its tag is red, OK green, SKIP yellow', () => {
    expect(hookRun(true).split('\n').filter((l) => l.includes('hook'))).toEqual([expect.stringMatching(/^2 of 3 ERROR hook: quay\.on-run-start\.1 \.+ \[ERROR in 0\.00s\]$/)]);
    const coloured = hookRun(false, true);
    expect(coloured).toContain('\x1b[31m[ERROR in 0.00s]\x1b[0m');
    expect(coloured).toContain('\x1b[32m[OK in 0.02s]\x1b[0m');
    expect(coloured).toContain('\x1b[33m[SKIP in 0.00s]\x1b[0m');
  });
});

describe("TerminalReporter: dbt 1.10's skip lines, hook width and end-of-run summary", () => {
  function capture(): { t: TerminalReporter; text: () => string } {
    const chunks: string[] = [];
    const stream = Object.assign(new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c.toString()), cb()) }), { isTTY: false, columns: 100 }) as unknown as NodeJS.WriteStream;
    const t = new TerminalReporter(stream, new SecretScrubber());
    return { t, text: () => (t.flush(), chunks.join('')) };
  }
  const skipped = { status: 'skipped', executionTime: 0 } as const;

  it('a skipped model is `SKIP relation <schema>.<name>`, a test `SKIP test <name>` (SkippingDetails)', () => {
    const { t, text } = capture();
    t.emit({ type: 'node-finished', index: 1, total: 2, result: { ...skipped, uniqueId: 'model.p.berths', description: 'sql table model dock.berths', name: 'berths', resourceType: 'model', schema: 'dock', message: 'Skipped because model.p.tides failed' } });
    t.emit({ type: 'node-finished', index: 2, total: 2, result: { ...skipped, uniqueId: 'test.p.nn', description: 'test not_null_berths_id', name: 'not_null_berths_id', resourceType: 'test', schema: 'dock', message: 'Skipped because model.p.tides failed' } });
    expect(text().split('\n').slice(0, 2)).toEqual([
      `${'1 of 2 SKIP relation dock.berths '.padEnd(80, '.')} [SKIP]`,
      `${'2 of 2 SKIP test not_null_berths_id '.padEnd(80, '.')} [SKIP]`,
    ]);
  });

  it("a node skipped for an ephemeral model's compile error is LogSkipBecauseError's line, its error under it; an exposure's is no error", () => {
    const { t, text } = capture();
    const message = 'Compilation Error in exposure.p.board, caused by compilation error in referenced ephemeral model model.p.eph: boom';
    t.emit({ type: 'node-finished', index: 1, total: 1, result: { ...skipped, uniqueId: 'exposure.p.board', description: 'exposure board', name: 'board', resourceType: 'exposure', message } });
    t.emit({ type: 'run-finished', elapsed: 0.1, counts: { SKIP: 1, TOTAL: 1 }, status: 'success' });
    const lines = text().split('\n');
    expect(lines[0]).toBe(`${"1 of 1 SKIP relation .board due to ephemeral model status 'error' ".padEnd(80, '.')} [ERROR SKIP]`);
    expect(lines[1]).toBe(message);
    // dbt 1.10's print_run_end_messages leaves an exposure's skip out of the errors.
    expect(text()).toContain('Finished in 0.10s. Completed successfully');
  });

  it("counts errors, partial successes and warnings in EndOfRunSummary's words, the errors and then the warnings after it", () => {
    const { t, text } = capture();
    t.emit({ type: 'node-finished', index: 1, total: 3, result: { uniqueId: 'test.p.b', name: 'b', resourceType: 'test', status: 'warn', failures: 2, message: 'Got 2 results', executionTime: 0 } });
    t.emit({ type: 'node-finished', index: 2, total: 3, result: { uniqueId: 'model.p.a', name: 'a', resourceType: 'model', status: 'error', message: 'Binder Error', executionTime: 0 } });
    t.emit({ type: 'node-finished', index: 3, total: 3, result: { ...skipped, uniqueId: 'model.p.c', name: 'c', resourceType: 'model', schema: 'main', message: 'Compilation Error in model.p.c, caused by compilation error in referenced ephemeral model model.p.e: x' } });
    t.emit({ type: 'run-finished', elapsed: 0.1, counts: { ERROR: 1, WARN: 1, SKIP: 1, TOTAL: 3 }, status: 'error' });
    expect(text()).toContain('Finished in 0.10s. Completed with 2 errors, 0 partial successes, and 1 warning:\n\nERROR in model a: Binder Error\n\nWARN 2 in test b: Got 2 results\n\nDone.');
  });

  it('cuts a hook line longer than the printer width at 77 characters and ends it with `...`', () => {
    const { t, text } = capture();
    const name = 'a_harbour_project_with_a_rather_long_name_indeed.on-run-start.0';
    t.emit({ type: 'hook-started', hook: 'on-run-start', name, index: 1, total: 1 });
    t.emit({ type: 'hook-finished', hook: 'on-run-start', name, index: 1, total: 1, status: 'success', executionTime: 0.01 });
    const lines = text().split('\n').filter(Boolean);
    expect(lines).toEqual([`1 of 1 START hook: ${name}`.slice(0, 77) + '... [RUN]', `1 of 1 OK hook: ${name}`.slice(0, 77) + '... [OK in 0.01s]']);
  });
});

describe("TerminalReporter: each resource type's result words, as dbt 1.10's result events", () => {
  it('PASS/FAIL/ERROR <test name> (LogTestResult), OK loaded seed file (LogSeedResult), OK snapshotted (LogSnapshotResult), OK created (LogModelResult)', () => {
    const { stream, text } = terminal(false);
    const t = new TerminalReporter(stream, new SecretScrubber());
    const done = (index: number, resourceType: string, name: string, description: string, status: string, failures?: number): void =>
      t.emit({ type: 'node-finished', index, total: 8, result: { uniqueId: `${resourceType}.p.${name}`, name, resourceType, description, status, message: status === 'error' ? 'boom' : '', executionTime: 0, ...(failures ? { failures } : {}) } as never });
    done(1, 'test', 'not_null_berths_id', 'test not_null_berths_id', 'pass');
    done(2, 'test', 'unique_berths_id', 'test unique_berths_id', 'fail', 2);
    done(3, 'test', 'accepted_values_x', 'test accepted_values_x', 'error');
    done(4, 'unit_test', 'tides_round', 'unit_test berths::tides_round', 'fail', 1);
    done(5, 'seed', 'ports', 'seed file dock.ports', 'success');
    done(6, 'seed', 'ports2', 'seed file dock.ports2', 'error');
    done(7, 'snapshot', 'berths_snap', 'snapshot dock.berths_snap', 'success');
    done(8, 'model', 'berths', 'sql table model dock.berths', 'error');
    t.flush();
    const words = text().split('\n').slice(0, 8).map((l) => l.replace(/ \.+ \[.*$/, '').replace(/ \[.*$/, '').trimEnd());
    expect(words).toEqual([
      '1 of 8 PASS not_null_berths_id',
      '2 of 8 FAIL 2 unique_berths_id',
      '3 of 8 ERROR accepted_values_x',
      '4 of 8 FAIL 1 berths::tides_round',
      '5 of 8 OK loaded seed file dock.ports',
      '6 of 8 ERROR loading seed file dock.ports2',
      '7 of 8 OK snapshotted dock.berths_snap',
      '8 of 8 ERROR creating sql table model dock.berths',
    ]);
  });
});
