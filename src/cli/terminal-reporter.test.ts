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
