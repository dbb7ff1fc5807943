import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseYamlFile } from '../project/yaml-file.js';
import { download } from './hub-client.js';

/** A step of fetching that failed; the caller names the package and the fix. */
export class FetchError extends Error {
  constructor(readonly kind: 'git' | 'download' | 'checksum' | 'tarball' | 'not-a-package', message: string) {
    super(message);
  }
}

const gitEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0' };

function git(args: string[], cwd?: string): string {
  try {
    return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: gitEnv }).toString().trim();
  } catch (e) {
    const err = e as Error & { stderr?: Buffer; code?: string };
    if (err.code === 'ENOENT') throw new FetchError('git', 'git is not installed');
    const text = (err.stderr?.toString() || err.message).trim().split('\n').filter((l) => !l.startsWith('hint:'));
    throw new FetchError('git', text.at(-1) ?? 'git failed');
  }
}

/**
 * Clones a git package and checks out `revision` (a branch, a tag or a commit; `HEAD`: the default branch).
 * Returns the commit it is at.
 */
export function cloneGit(url: string, revision: string, into: string): string {
  try {
    git(['clone', '--quiet', '--depth', '1', ...(revision === 'HEAD' ? [] : ['--branch', revision]), url, into]);
  } catch (e) {
    // A commit cannot be cloned by name: clone all, then check it out.
    if (revision === 'HEAD' || !/^[0-9a-f]{7,40}$/i.test(revision)) throw e;
    git(['clone', '--quiet', url, into]);
    git(['checkout', '--quiet', revision], into);
  }
  return git(['rev-parse', 'HEAD'], into);
}

/** Whether a git revision names a commit (rather than a branch or tag). */
export const isCommit = (revision: string): boolean => /^[0-9a-f]{40}$/i.test(revision);

/**
 * Downloads a tarball, checks its sha1 if the hub gave one, and unpacks it into `into`. A tarball holding one
 * folder (as GitHub's do) gives that folder; else `into` itself.
 */
export async function fetchTarball(url: string, into: string, sha1?: string): Promise<string> {
  const bytes = await download(url).catch((e: Error) => {
    throw new FetchError('download', e.message);
  });
  if (sha1) {
    const got = createHash('sha1').update(bytes).digest('hex');
    if (got !== sha1.toLowerCase()) throw new FetchError('checksum', `the sha1 of ${url} is ${got}, not ${sha1.toLowerCase()} as the hub says`);
  }
  mkdirSync(into, { recursive: true });
  const file = `${into}.tar.gz`;
  writeFileSync(file, bytes);
  try {
    execFileSync('tar', ['-xzf', file, '-C', into], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    throw new FetchError('tarball', `${url} is not a gzipped tar archive (${((e as { stderr?: Buffer }).stderr?.toString() ?? '').trim().split('\n')[0]})`);
  }
  const entries = readdirSync(into);
  return entries.length === 1 && statSync(join(into, entries[0]!)).isDirectory() ? join(into, entries[0]!) : into;
}

/** What a fetched package's dbt_project.yml says. */
export interface PackageProject {
  name: string;
  version?: string;
  requireDbtVersion?: unknown;
}

export function readPackageProject(dir: string): PackageProject {
  const file = join(dir, 'dbt_project.yml');
  if (!existsSync(file)) throw new FetchError('not-a-package', `${dir} has no dbt_project.yml`);
  const raw = parseYamlFile('dbt_project.yml', readFileSync(file, 'utf8')).file?.value as Record<string, unknown> | undefined;
  if (!raw || typeof raw.name !== 'string') throw new FetchError('not-a-package', `the dbt_project.yml of ${dir} has no name`);
  return { name: raw.name, ...(raw.version !== undefined ? { version: String(raw.version) } : {}), ...(raw['require-dbt-version'] !== undefined ? { requireDbtVersion: raw['require-dbt-version'] } : {}) };
}
