/** The real `strata` command, run from tests. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './demo-project.js';

/** What a CLI run gave: its exit code and its stdout followed by its stderr. */
export interface CliRun {
  code: number;
  out: string;
}

/**
 * Runs `strata <args> --project-dir dir --profiles-dir dir` asynchronously: a server the test started in this
 * process (the local BigQuery) must keep answering, which a blocking spawn would stop. No colours; BigQuery
 * retries back off 5 ms.
 */
export function strataCli(dir: string, ...args: string[]): Promise<CliRun> {
  const argv = [join(repoRoot, 'bin', 'strata.js'), ...args, '--project-dir', dir, '--profiles-dir', dir];
  const env = { ...process.env, STRATA_BQ_BACKOFF_MS: '5', NO_COLOR: '1' };
  return new Promise((resolve) => {
    execFile(process.execPath, argv, { encoding: 'utf8', env }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
    });
  });
}
