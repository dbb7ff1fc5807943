/**
 * `packages.yml` and `dependencies.yml` checked against the shape dbt's schema gives them (our own reading of
 * it): a `packages:` list whose entries name one source each — `package:` (hub, with `version:`), `git:`,
 * `local:`, `tarball:` (with `name:`) or `private:` — with only that source's keys, each of its type; and in
 * dependencies.yml a `projects:` list of `- name:` entries. One diagnostic per violation, at its key's line.
 * Run on every load (so `build` and `deps` both stop on a bad file); a handful of entries, so cheap.
 */
import { didYouMean, type Diagnostic } from '../diagnostics/index.js';
import type { YamlFile } from './yaml-file.js';

type Kind = 'package' | 'git' | 'local' | 'tarball' | 'private';
type Type = 'text' | 'boolean' | 'version' | 'revision';

/** Each source's keys and their types (dbt's hub, git, local, tarball and private package contracts). */
const KEYS: Record<Kind, Record<string, Type>> = {
  package: { package: 'text', version: 'version', 'install-prerelease': 'boolean' },
  git: { git: 'text', revision: 'revision', 'warn-unpinned': 'boolean', subdirectory: 'text' },
  local: { local: 'text' },
  tarball: { tarball: 'text', name: 'text' },
  private: { private: 'text', provider: 'text', revision: 'revision', 'warn-unpinned': 'boolean', subdirectory: 'text' },
};
const KINDS = Object.keys(KEYS) as Kind[];

const WANT: Record<Type, string> = { text: 'text', boolean: 'true or false', version: 'a version, a range, or a list of them', revision: 'a branch, tag or commit as text' };

function typeOk(type: Type, v: unknown): boolean {
  if (typeof v === 'string') return type !== 'boolean' || v.includes('{{');
  if (type === 'boolean') return typeof v === 'boolean';
  if (type === 'version') return typeof v === 'number' || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' || typeof x === 'number'));
  if (type === 'revision') return typeof v === 'number';
  return false;
}

const EXAMPLE = 'packages:\n  - package: dbt-labs/dbt_utils\n    version: [">=1.0.0", "<2.0.0"]\n  - git: https://example.com/org/repo.git\n    revision: v1.2.0\n  - local: ../shared';

/** The violations of one packages file (`file` is packages.yml or dependencies.yml, as shown in messages). */
export function packagesSchemaDiagnostics(file: string, yaml: YamlFile): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (path: (string | number)[], message: string, hint: string): void => {
    out.push({ code: 'packages-invalid', severity: 'error', message: `${file}: ${message}`, file, line: yaml.lineOf(path) ?? yaml.lineOf(path.slice(0, -1)) ?? 1, hint });
  };
  const doc = yaml.value;
  if (doc === null || doc === undefined) return out;
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    report([], 'the file must be a mapping with a packages: list', EXAMPLE);
    return out;
  }
  const top = file.endsWith('dependencies.yml') ? ['packages', 'projects'] : ['packages'];
  for (const key of Object.keys(doc)) if (!top.includes(key)) report([key], `unknown key '${key}'`, didYouMean(key, top) ?? `the file holds ${top.join(' and ')}: only`);
  const d = doc as Record<string, unknown>;
  if (d.packages !== undefined && d.packages !== null && !Array.isArray(d.packages)) report(['packages'], 'packages: must be a list of entries', EXAMPLE);
  (Array.isArray(d.packages) ? d.packages : []).forEach((entry, i) => entryDiagnostics(entry, ['packages', i], report));
  if (d.projects !== undefined && d.projects !== null && !Array.isArray(d.projects)) report(['projects'], 'projects: must be a list of - name: entries', 'projects:\n  - name: upstream_project');
  (Array.isArray(d.projects) ? d.projects : []).forEach((p, i) => {
    if (!p || typeof p !== 'object' || Array.isArray(p) || typeof (p as { name?: unknown }).name !== 'string') report(['projects', i], 'each entry of projects: needs a name', '- name: upstream_project');
  });
  return out;
}

function entryDiagnostics(entry: unknown, path: (string | number)[], report: (path: (string | number)[], message: string, hint: string) => void): void {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return report(path, `each entry of packages: must be a mapping, not ${JSON.stringify(entry)}`, EXAMPLE);
  const e = entry as Record<string, unknown>;
  const kinds = KINDS.filter((k) => k in e);
  if (kinds.length !== 1) return report(path, kinds.length ? `an entry names ${kinds.join(' and ')}: one source each` : `an entry has none of ${KINDS.join(':, ')}:`, 'split it into one entry per package');
  const kind = kinds[0]!;
  const allowed = KEYS[kind];
  for (const [key, value] of Object.entries(e)) {
    const type = allowed[key];
    if (!type) {
      report([...path, key], `'${key}' is not a key of a ${kind === 'package' ? 'hub' : kind} package entry (it takes ${Object.keys(allowed).join(', ')})`, didYouMean(key, Object.keys(allowed)) ?? `remove ${key}:`);
      continue;
    }
    if (value === null || value === undefined) {
      if (key === kind) report([...path, key], `${key}: is empty`, EXAMPLE);
      continue;
    }
    if (!typeOk(type, value)) report([...path, key], `${key}: must be ${WANT[type]}, not ${JSON.stringify(value)}`, type === 'boolean' ? `${key}: false` : type === 'version' ? `${key}: [">=1.0.0", "<2.0.0"]` : `${key}: v1.2.0`);
  }
  if (kind === 'package' && (e.version === undefined || e.version === null)) report(path, `hub package ${String(e.package)} has no version:`, 'add version: [">=1.0.0", "<2.0.0"] (a version or a range of them)');
  if (kind === 'tarball' && (e.name === undefined || e.name === null)) report(path, `tarball package ${String(e.tarball)} has no name:`, 'add name: <the project name the tarball holds>');
}
