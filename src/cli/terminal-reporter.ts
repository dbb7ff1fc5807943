import { createRequire } from 'node:module';
import type cliProgressModule from 'cli-progress';
import { formatDiagnostic, type Reporter, type StrataEvent, type SecretScrubber, type NodeResultSummary } from '../diagnostics/index.js';

const WIDTH = 80;

/** cli-progress, loaded when a progress bar is first shown: most commands never show one. */
let progressModule: typeof cliProgressModule | undefined;
const cliProgress = (): typeof cliProgressModule => (progressModule ??= createRequire(import.meta.url)('cli-progress') as typeof cliProgressModule);

function dots(left: string, right: string): string {
  const n = Math.max(3, WIDTH - left.length - right.length - 2);
  return `${left} ${'.'.repeat(n)} ${right}`;
}

function label(r: NodeResultSummary): { word: string; tag: string } {
  const t = r.executionTime.toFixed(2);
  switch (r.status) {
    case 'success':
      return { word: 'OK', tag: `[${r.message || 'OK'} in ${t}s]` };
    case 'pass':
      return { word: 'PASS', tag: `[PASS in ${t}s]` };
    case 'warn':
      return { word: `WARN ${r.failures ?? ''}`.trim(), tag: `[WARN ${r.failures ?? ''} in ${t}s]`.replace('  ', ' ') };
    case 'fail':
      return { word: `FAIL ${r.failures ?? ''}`.trim(), tag: `[FAIL ${r.failures ?? ''} in ${t}s]`.replace('  ', ' ') };
    case 'skipped':
      return { word: 'SKIP', tag: '[SKIP]' };
    default:
      return { word: 'ERROR', tag: `[ERROR in ${t}s]` };
  }
}

/** Human output: one line per node start/finish, dbt-style, a summary, and a progress bar on a TTY. */
export class TerminalReporter implements Reporter {
  private bar?: cliProgressModule.SingleBar;
  private lastProgressLine = 0;
  private readonly errors: string[] = [];

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly scrubber: SecretScrubber,
    private readonly quiet = false,
  ) {}

  private write(line: string): void {
    this.out.write(this.scrubber.scrub(line) + '\n');
  }

  emit(event: StrataEvent): void {
    switch (event.type) {
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
        if (!this.quiet) this.write(dots(`${event.index} of ${event.total} START ${event.description}`, '[RUN]'));
        break;
      case 'node-finished': {
        const r = event.result;
        const { word, tag } = label(r);
        const what = r.description ?? `${r.resourceType} ${r.name}`;
        const landing = r.resourceType === 'landing';
        const verb = r.status === 'success' ? (landing ? 'OK' : 'OK created') : r.status === 'error' ? (landing ? 'ERROR' : 'ERROR creating') : word;
        if (!this.quiet || r.status === 'error' || r.status === 'fail') this.write(dots(`${event.index} of ${event.total} ${verb} ${what}`, tag));
        if (r.status === 'error' || r.status === 'fail' || r.status === 'warn') this.errors.push(`${word} in ${r.resourceType} ${r.name}: ${r.message}`);
        break;
      }
      case 'progress':
        this.progress(event);
        break;
      case 'run-finished': {
        this.bar?.stop();
        if (this.errors.length) {
          this.write('');
          for (const e of this.errors) this.write(e);
        }
        const c = event.counts;
        this.write('');
        this.write(`Finished in ${event.elapsed.toFixed(2)}s. ${event.status === 'success' ? 'Completed successfully' : 'Completed with errors'}`);
        this.write(`Done. PASS=${c.PASS ?? 0} WARN=${c.WARN ?? 0} ERROR=${c.ERROR ?? 0} SKIP=${c.SKIP ?? 0} TOTAL=${c.TOTAL ?? 0}`);
        break;
      }
    }
  }

  private progress(e: Extract<StrataEvent, { type: 'progress' }>): void {
    if (this.quiet) return;
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
  ) {}
  emit(event: StrataEvent): void {
    this.out.write(this.scrubber.scrub(JSON.stringify({ ts: new Date().toISOString(), ...event })) + '\n');
  }
}
