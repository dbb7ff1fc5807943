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
    // The same 80 columns as a node's line.
    expect(lines[3]).toHaveLength(80);
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
