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
