/** The real `strata` command (and any other program a test starts), run without blocking the test's process. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './demo-project.js';

/** What a run gave: its exit code, its stdout and stderr, and both together. */
export interface CliRun {
  /** The exit code; null when a signal ended the process (as spawnSync's `status`). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout followed by stderr. */
  out: string;
}

/** Where and with what a run starts. */
export interface RunOptions {
  /** The working directory (this process's when not given). */
  cwd?: string;
  /** Variables set over this process's environment ('' sets one empty). */
  env?: Record<string, string>;
}

/** bin/strata.js of the repository: what a user's `strata` runs. */
export const strataBin = join(repoRoot, 'bin', 'strata.js');

/**
 * Runs `file args` and collects its output: asynchronous, so a server the test started in this process (the
 * local BigQuery) keeps answering, and vitest can run other work meanwhile. No stdin (as `</dev/null`), no
 * limit on the output.
 */
export function runProcess(file: string, args: string[], options: RunOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr, out: stdout + stderr }));
  });
}

/** Runs `strata <args>` (bin/strata.js, or the one `bin` names) with the arguments as given. */
export function runStrata(args: string[], options: RunOptions & { bin?: string } = {}): Promise<CliRun> {
  return runProcess(process.execPath, [options.bin ?? strataBin, ...args], options);
}

/** Runs `strata <args> --project-dir dir --profiles-dir dir`. No colours; BigQuery retries back off 5 ms. */
export function strataCli(dir: string, ...args: string[]): Promise<CliRun> {
  return runStrata([...args, '--project-dir', dir, '--profiles-dir', dir], { env: { STRATA_BQ_BACKOFF_MS: '5', NO_COLOR: '1' } });
}
