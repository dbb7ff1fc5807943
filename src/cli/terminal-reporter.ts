import { createRequire } from 'node:module';
import type cliProgressModule from 'cli-progress';
import { formatDiagnostic, type Reporter, type StrataEvent, type SecretScrubber } from '../diagnostics/index.js';
import { countsAsError, endOfRunSummary, fancyLine, resultLabel, resultWords, skipWords } from './dbt-lines.js';

/** How long a node line for a pipe or file may wait to be written with the next ones. */
const PIPE_LINGER_MS = 100;

/** cli-progress, loaded when a progress bar is first shown: most commands never show one. */
let progressModule: typeof cliProgressModule | undefined;
const cliProgress = (): typeof cliProgressModule => (progressModule ??= createRequire(import.meta.url)('cli-progress') as typeof cliProgressModule);

/** How the terminal reporter writes: colours, SQL with timings (--debug), a live status line. */
export interface TerminalStyle {
  colors?: boolean;
  debug?: boolean;
  /** A status line kept at the bottom while a run goes (a terminal only: never in CI logs or JSON). */
  live?: boolean;
}

/** `[12/44] 3 running · PASS 9 ERROR 0 SKIP 0 · 12.3s`, redrawn under the output while nodes run. */
class LiveLine {
  private total = 0;
  private done = 0;
  private running = 0;
  private readonly counts = { PASS: 0, WARN: 0, ERROR: 0, SKIP: 0, 'NO-OP': 0 };
  private started = 0;
  private shown = false;
  private timer?: NodeJS.Timeout;

  constructor(private readonly out: NodeJS.WriteStream, private readonly enabled: boolean) {}

  track(e: StrataEvent): void {
    if (!this.enabled) return;
    if (e.type === 'run-started') {
      this.total = e.total;
      this.started = Date.now();
      this.timer = setInterval(() => this.draw(), 1000);
      this.timer.unref();
    } else if (e.type === 'node-started') this.running++;
    else if (e.type === 'node-finished') {
      this.running = Math.max(0, this.running - 1);
      this.done++;
      const s = e.result.status;
      this.counts[s === 'success' || s === 'pass' ? 'PASS' : s === 'warn' ? 'WARN' : s === 'skipped' ? 'SKIP' : s === 'no-op' ? 'NO-OP' : 'ERROR']++;
    }
  }

  clear(): void {
    if (!this.shown) return;
    this.out.write('\x1b[2K\r');
    this.shown = false;
  }

  draw(): void {
    if (!this.timer) return;
    this.clear();
    const c = this.counts;
    this.out.write(`[${this.done}/${this.total}] ${this.running} running · PASS ${c.PASS} WARN ${c.WARN} ERROR ${c.ERROR} SKIP ${c.SKIP} · ${((Date.now() - this.started) / 1000).toFixed(1)}s`);
    this.shown = true;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }
}

/** Reporters holding node lines not yet written: written at exit whatever happens (one listener for all of them, added with the first). */
const unflushed = new Set<{ flush(): void }>();
function flushAtExit(r: { flush(): void }): void {
  if (!flushAtExit.hooked) {
    flushAtExit.hooked = true;
    process.once('exit', () => {
      for (const x of unflushed) x.flush();
    });
  }
  unflushed.add(r);
}
flushAtExit.hooked = false;

/** Human output: one line per node start/finish, dbt-style, a summary, and a progress bar on a TTY. */
export class TerminalReporter implements Reporter {
  private bar?: cliProgressModule.SingleBar;
  private lastProgressLine = 0;
  /** What the summary tells after it, as dbt's print_run_end_messages: the errors, then the warnings. */
  private readonly errors: string[] = [];
  private readonly warnings: string[] = [];
  private partials = 0;
  /** The results dbt's end-of-run summary counts as errors and warnings. */
  private errorCount = 0;
  private warnCount = 0;
  private readonly live: LiveLine;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly scrubber: SecretScrubber,
    private readonly quiet = false,
    private readonly style: TerminalStyle = {},
  ) {
    this.live = new LiveLine(out, style.live === true);
  }

  private write(line: string): void {
    this.flush();
    this.live.clear();
    this.out.write(this.scrubber.scrub(line) + '\n');
    if (!this.bar) this.live.draw();
  }

  /**
   * Node lines for a pipe or file (CI logs, `| tee`), written together at most PIPE_LINGER_MS after the first
   * of them (at the latest before any other line, and at exit): a write to a pipe is a system call that blocks
   * the run and wakes the reader, and one per node cost more than a fast node's statement. A terminal gets each
   * line at once, as a person watches it.
   */
  private pending = '';
  private flushing = false;
  private writeNodeLine(line: string): void {
    if (this.out.isTTY) return this.write(line);
    this.pending += this.scrubber.scrub(line) + '\n';
    if (this.pending.length > 16 * 1024) return this.flush();
    if (this.flushing) return;
    this.flushing = true;
    flushAtExit(this);
    setTimeout(() => this.flush(), PIPE_LINGER_MS).unref();
  }

  /** Writes the node lines not yet written. */
  flush(): void {
    this.flushing = false;
    unflushed.delete(this);
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    this.live.clear();
    this.out.write(text);
    if (!this.bar) this.live.draw();
  }

  emit(event: StrataEvent): void {
    this.live.track(event);
    switch (event.type) {
      case 'sql':
        if (this.style.debug) this.write(`${this.paint('2', `[debug] ${event.elapsed.toFixed(3)}s${event.ok ? '' : ' (failed)'}${event.uniqueId ? ` ${event.uniqueId}` : ''}:`)}\n${event.sql.trim()}`);
        break;
      case 'diagnostic':
        if (!this.quiet || event.diagnostic.severity === 'error') this.write(formatDiagnostic(event.diagnostic));
        break;
      case 'info':
        if (!this.quiet) this.write(event.message);
        break;
      case 'run-started':
        if (!this.quiet) this.write(`Running ${event.command} on ${event.total} node${event.total === 1 ? '' : 's'} with ${event.threads} thread${event.threads === 1 ? '' : 's'}`);
        break;
      case 'node-started':
        // dbt's no-op runner (an exposure in `build`) prints no START line, only its NO-OP line.
        if (!this.quiet && !event.uniqueId.startsWith('exposure.')) this.writeNodeLine(fancyLine(`${event.index} of ${event.total} START ${event.description}`, '[RUN]'));
        break;
      case 'hook-started':
      case 'hook-finished':
        this.hookLine(event);
        break;
      case 'node-finished':
        this.nodeLine(event);
        break;
      case 'progress':
        this.progress(event);
        break;
      case 'run-finished': {
        this.flush();
        this.bar?.stop();
        this.live.stop();
        const c = event.counts;
        this.write('');
        // As dbt's print_run_end_messages: the summary, then each error and then each warning after a blank line.
        this.write(`Finished in ${event.elapsed.toFixed(2)}s. ${this.completion(event)}`);
        for (const e of [...this.errors, ...this.warnings]) this.write(`\n${e}`);
        this.write('');
        // As dbt 1.10's StatsLine, NO-OP included (exposures and saved queries in `build`).
        this.write(`Done. PASS=${c.PASS ?? 0} WARN=${c.WARN ?? 0} ERROR=${c.ERROR ?? 0} SKIP=${c.SKIP ?? 0} NO-OP=${c['NO-OP'] ?? 0} TOTAL=${c.TOTAL ?? 0}`);
        break;
      }
    }
  }

  /** A node's result line (dbt's LogModelResult, LogTestResult, SkippingDetails…); its error kept for the summary. */
  private nodeLine(event: Extract<StrataEvent, { type: 'node-finished' }>): void {
    const r = event.result;
    const { word, tag } = resultLabel(r);
    const text = r.status === 'skipped' ? skipWords(r).what : resultWords(r, word);
    const errorSkip = word === 'ERROR SKIP';
    if (r.status === 'partial success') this.partials++;
    if (countsAsError(r)) this.errorCount++;
    if (r.status === 'warn') this.warnCount++;
    if (!this.quiet || errorSkip || r.status === 'error' || r.status === 'fail') this.writeNodeLine(this.colourTag(fancyLine(`${event.index} of ${event.total} ${text}`, tag), tag, errorSkip ? 'error' : r.status));
    // As dbt's on_skip: the ephemeral model's compile error is told under each node it skips (it has no line of its own).
    if (errorSkip) this.writeNodeLine(r.message);
    if (r.status === 'error' || r.status === 'fail' || r.status === 'warn') (r.status === 'warn' ? this.warnings : this.errors).push(`${word} in ${r.resourceType} ${r.name}: ${r.message}`);
    // Its failed batches' errors: `PARTIAL SUCCESS (2/3) in model daily: batch 20240102 failed: …`.
    if (r.status === 'partial success') this.errors.push(r.message.replace(/^(PARTIAL SUCCESS \(\d+\/\d+\)): /, `$1 in ${r.resourceType} ${r.name}: `));
  }

  /** dbt 1.10's EndOfRunSummary (`Completed with 1 error, 0 partial successes, and 0 warnings:`), or Strata's Ctrl-C line. */
  private completion(e: Extract<StrataEvent, { type: 'run-finished' }>): string {
    if (e.interrupted) return 'Interrupted (Ctrl-C): running nodes were cancelled, the rest skipped';
    return endOfRunSummary({ errors: this.errorCount, warnings: this.warnCount, partials: this.partials });
  }

  /**
   * A project hook's line, as dbt 1.10's LogHookStartLine / LogHookEndLine: `1 of 2 START hook: shop.on-run-start.0`,
   * `1 of 2 OK hook: shop.on-run-start.0 … [OK in 0.01s]` (ERROR, or SKIP for the hooks after a failed one, which
   * have no START line). As dbt, a blank line before each kind's first hook and after the last on-run-start hook.
   * With -q only an ERROR line, as a node's; the error itself is the command's diagnostic at the end.
   */
  private hookLine(e: Extract<StrataEvent, { type: 'hook-started' | 'hook-finished' }>): void {
    const failed = e.type === 'hook-finished' && e.status === 'error';
    if (this.quiet && !failed) return;
    if (!this.quiet && e.type === 'hook-started' && e.index === 1) this.writeNodeLine('');
    // dbt's hook lines are cut at the printer width (format_fancy_output_line's truncate).
    if (e.type === 'hook-started') return this.writeNodeLine(fancyLine(`${e.index} of ${e.total} START hook: ${e.name}`, '[RUN]', true));
    const word = e.status === 'success' ? 'OK' : e.status === 'error' ? 'ERROR' : 'SKIP';
    const tag = `[${word} in ${e.executionTime.toFixed(2)}s]`;
    if (failed) this.errorCount++;
    this.writeNodeLine(this.colourTag(fancyLine(`${e.index} of ${e.total} ${word} hook: ${e.name}`, tag, true), tag, e.status));
    if (!this.quiet && e.hook === 'on-run-start' && e.index === e.total) this.writeNodeLine('');
  }

  /** ANSI colour (SGR code) when colours are on: --use-colors, or a terminal without NO_COLOR. */
  private paint(code: string, text: string): string {
    return this.style.colors ? `\x1b[${code}m${text}\x1b[0m` : text;
  }

  private colourTag(line: string, tag: string, status: string): string {
    const code = status === 'success' || status === 'pass' ? '32' : status === 'warn' || status === 'skipped' || status === 'partial success' || status === 'no-op' ? '33' : '31';
    return this.style.colors ? line.slice(0, line.length - tag.length) + this.paint(code, tag) : line;
  }

  private progress(e: Extract<StrataEvent, { type: 'progress' }>): void {
    if (this.quiet) return;
    this.flush();
    const mb = (n?: number): string => ((n ?? 0) / 1e6).toFixed(1);
    if (this.out.isTTY) {
      if (!this.bar) {
        this.bar = new (cliProgress().SingleBar)({ format: `${e.label} [{bar}] {value}/{total} objects | {mb} MB`, clearOnComplete: true }, cliProgress().Presets.shades_classic);
        this.bar.start(e.total, e.done, { mb: mb(e.bytesDone) });
      }
      this.bar.setTotal(e.total);
      this.bar.update(e.done, { mb: mb(e.bytesDone) });
      if (e.done >= e.total) {
        this.bar.stop();
        this.bar = undefined;
      }
      return;
    }
    const now = Date.now();
    if (now - this.lastProgressLine > 2000 || e.done >= e.total) {
      this.lastProgressLine = now;
      this.write(`${e.label}: ${e.done}/${e.total} objects, ${mb(e.bytesDone)}/${mb(e.bytesTotal)} MB`);
    }
  }
}

/** `--log-format json`: one JSON object per event per line. */
export class JsonReporter implements Reporter {
  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly scrubber: SecretScrubber,
    /** SQL statements are printed with --debug only. */
    private readonly debug = false,
  ) {}
  emit(event: StrataEvent): void {
    if (event.type === 'sql' && !this.debug) return;
    this.out.write(this.scrubber.scrub(JSON.stringify({ ts: new Date().toISOString(), ...event })) + '\n');
  }
}
