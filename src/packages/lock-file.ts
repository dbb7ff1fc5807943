import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import { parseYamlFile } from '../project/yaml-file.js';
import { yamlPackage } from '../project/yaml-package.js';
import { replaceFile } from '../project/replace-file.js';
import type { PinnedPackage } from './types.js';

export const LOCK_FILE = 'package-lock.yml';

/** Python's `json.dumps(value, sort_keys=True)`: what dbt hashes each packages.yml entry as. */
export function pythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value);
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${pythonJson(k)}: ${pythonJson(v)}`).join(', ')}}`;
}

/** dbt's `sha1_hash`: of the packages.yml entries (as `hashForm` gives them), each as sorted-key JSON, sorted, one a line. */
export function packagesHash(entries: Record<string, unknown>[]): string {
  return createHash('sha1').update(entries.map(pythonJson).sort().join('\n')).digest('hex');
}

export interface LockFile {
  packages: Record<string, unknown>[];
  sha1Hash?: string;
}

export function readLockFile(rootDir: string): { lock?: LockFile; diagnostics: Diagnostic[] } {
  const abs = join(rootDir, LOCK_FILE);
  if (!existsSync(abs)) return { diagnostics: [] };
  const parsed = parseYamlFile(LOCK_FILE, readFileSync(abs, 'utf8'));
  if (!parsed.file) return { diagnostics: parsed.diagnostics };
  const raw = (parsed.file.value ?? {}) as { packages?: unknown; sha1_hash?: unknown };
  if (!Array.isArray(raw.packages)) return { diagnostics: [{ code: 'package-lock-invalid', severity: 'error', message: `${LOCK_FILE} has no packages: list`, file: LOCK_FILE, line: 1, hint: `delete ${LOCK_FILE} and run strata deps to write it again` }] };
  return { lock: { packages: raw.packages as Record<string, unknown>[], ...(typeof raw.sha1_hash === 'string' ? { sha1Hash: raw.sha1_hash } : {}) }, diagnostics: [] };
}

const sortedKeys = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));

/** package-lock.yml as dbt writes it (keys sorted, lists indented), the whole tree pinned. */
export function lockText(packages: PinnedPackage[], hash: string): string {
  const doc = { packages: packages.map((p) => sortedKeys(p.lock)), sha1_hash: hash };
  return yamlPackage().stringify(doc, { indentSeq: true, lineWidth: 0 });
}

export function writeLockFile(rootDir: string, packages: PinnedPackage[], hash: string): void {
  replaceFile(join(rootDir, LOCK_FILE), lockText(packages, hash));
}
