import { closeSync, existsSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic, type Reporter, type SecretScrubber, type StrataEvent } from '../diagnostics/index.js';
import { warehouseProcessVariables } from '../api/conventions.js';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];

/** Where the log file goes: --log-path, $STRATA_LOG_PATH, $DBT_LOG_PATH, else `logs/` in the project. */
export function logDirOf(flags: { logPath?: string; projectDir?: string }, env: NodeJS.ProcessEnv): string | undefined {
  const explicit = flags.logPath ?? env.STRATA_LOG_PATH ?? env.DBT_LOG_PATH;
  if (explicit) return explicit;
  const root = flags.projectDir ?? process.cwd();
  // Only in a project folder: `strata init` or `strata --help` elsewhere leaves no logs/ behind.
  return existsSync(join(root, 'project.yml')) || existsSync(join(root, 'dbt_project.yml')) ? join(root, 'logs') : undefined;
}

/**
 * `logs/strata.log`, as dbt's `logs/dbt.log`: every invocation appends its events, from `minLevel` up
 * (debug by default: each SQL statement with its timing), each line timed and scrubbed of secrets.
 */
export class LogFileReporter implements Reporter {
  private buffer = '';
  private fd?: number;
  private readonly min: number;
  private failed = false;

  constructor(private readonly dir: string, private readonly scrubber: SecretScrubber, minLevel: string = 'debug', argv: string[] = process.argv.slice(2)) {
    this.min = LEVELS.indexOf((LEVELS as readonly string[]).includes(minLevel) ? (minLevel as Level) : 'debug');
    this.line('info', `==== strata ${argv.join(' ')} (pid ${process.pid})`);
    // The options warehouses' libraries load with (a process setting: they change a run's speed).
    for (const [name, value] of Object.entries(warehouseProcessVariables())) this.line('debug', `warehouse library option: ${name}=${value}`);
    process.once('exit', () => this.close());
  }

  emit(event: StrataEvent): void {
    switch (event.type) {
      case 'sql':
        return this.line('debug', `SQL ${event.ok ? 'ok' : 'failed'} in ${event.elapsed.toFixed(3)}s${event.uniqueId ? ` (${event.uniqueId})` : ''}:\n${event.sql.trim()}`);
      case 'diagnostic':
        return this.line(event.diagnostic.severity === 'error' ? 'error' : 'warn', formatDiagnostic(event.diagnostic));
      case 'info':
        return this.line('info', event.message);
      case 'run-started':
        return this.line('info', `running ${event.command} on ${event.total} nodes with ${event.threads} threads (invocation ${event.invocationId})`);
      case 'node-started':
        return this.line('debug', `${event.index} of ${event.total} START ${event.description}`);
      case 'node-finished': {
        const r = event.result;
        return this.line(r.status === 'error' || r.status === 'fail' ? 'error' : r.status === 'warn' ? 'warn' : 'info', `${event.index} of ${event.total} ${r.status.toUpperCase()} ${r.description ?? r.name} in ${r.executionTime.toFixed(2)}s: ${r.message}`);
      }
      case 'hook-started':
        return this.line('debug', `${event.index} of ${event.total} START hook: ${event.name}`);
      case 'hook-finished':
        return this.line(event.status === 'error' ? 'error' : 'info', `${event.index} of ${event.total} ${event.status.toUpperCase()} hook: ${event.name} in ${event.executionTime.toFixed(2)}s`);
      case 'run-finished':
        return this.line('info', `finished in ${event.elapsed.toFixed(2)}s: ${JSON.stringify(event.counts)}`);
      default:
        return undefined;
    }
  }

  /** A line of text for the log only (a third-party warning, say). */
  note(level: Level, text: string): void {
    this.line(level, text);
  }

  private line(level: Level, text: string): void {
    if (LEVELS.indexOf(level) < this.min) return;
    this.buffer += `${new Date().toISOString()} [${level}] ${this.scrubber.scrub(text)}\n`;
    if (this.buffer.length > 64 * 1024) this.flush();
  }

  flush(): void {
    if (!this.buffer || this.failed) return;
    try {
      if (this.fd === undefined) {
        mkdirSync(this.dir, { recursive: true });
        this.fd = openSync(join(this.dir, 'strata.log'), 'a');
      }
      writeSync(this.fd, this.buffer);
    } catch {
      // A log folder that cannot be written never fails the command.
      this.failed = true;
    }
    this.buffer = '';
  }

  close(): void {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Sends every event to each reporter. */
export class TeeReporter implements Reporter {
  constructor(private readonly reporters: Reporter[]) {}
  emit(event: StrataEvent): void {
    for (const r of this.reporters) r.emit(event);
  }
}
