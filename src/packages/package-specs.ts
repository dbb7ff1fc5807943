import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import { parseYamlFile } from '../project/yaml-file.js';
import { renderYamlTree } from '../project/render-yaml-value.js';
import { parseSpecifier, type Specifier } from './semver.js';

/** Where an entry was written: the file (relative to the root project, or a package's name and file) and line. */
export interface SpecOrigin {
  file: string;
  line?: number;
  /** Who asks for it: `packages.yml` of the root project, or a package's name. */
  by: string;
}

interface SpecBase {
  /** The entry as written, before env_var() is rendered: what the lock and its hash keep. */
  written: Record<string, unknown>;
  origin: SpecOrigin;
}
export interface HubSpec extends SpecBase { kind: 'hub'; package: string; versions: Specifier[]; installPrerelease: boolean }
export interface GitSpec extends SpecBase { kind: 'git'; git: string; revision: string; subdirectory?: string; warnUnpinned: boolean }
export interface LocalSpec extends SpecBase { kind: 'local'; local: string; baseDir: string }
export interface TarballSpec extends SpecBase { kind: 'tarball'; tarball: string; name: string }
export type PackageSpec = HubSpec | GitSpec | LocalSpec | TarballSpec;

const KINDS = ['package', 'git', 'local', 'tarball'] as const;

/** One entry of a packages list → a spec, or a diagnostic naming the entry and the fix. */
export function specOf(written: Record<string, unknown>, rendered: Record<string, unknown>, origin: SpecOrigin, baseDir: string): PackageSpec | Diagnostic {
  const kind = KINDS.find((k) => typeof rendered[k] === 'string' && rendered[k] !== '');
  const bad = (message: string, hint: string): Diagnostic => ({ code: 'packages-invalid', severity: 'error', message, file: origin.file, line: origin.line, hint });
  const base = { written, origin };
  if (!kind) return bad(`a packages entry${origin.by === 'packages.yml' ? '' : ` of package '${origin.by}'`} has none of package:, git:, local:, tarball:`, 'write - package: dbt-labs/dbt_utils with version:, - git: <url> with revision:, - local: <folder>, or - tarball: <url> with name:');
  if (kind === 'package') {
    const name = String(rendered.package);
    const raw = rendered.version;
    if (raw === undefined || raw === null) return bad(`hub package ${name} has no version`, `add version: [">=1.0.0", "<2.0.0"] (a version or a range of them)`);
    const list = (Array.isArray(raw) ? raw : [raw]).map(String);
    const versions: Specifier[] = [];
    for (const text of list) {
      const spec = parseSpecifier(text);
      if (!spec) return bad(`version '${text}' of hub package ${name} is not a version or range dbt reads`, 'write a full version (1.3.0) or comparisons of full versions: [">=1.0.0", "<2.0.0"]');
      versions.push(spec);
    }
    return { kind: 'hub', package: name, versions, installPrerelease: rendered['install-prerelease'] === true, ...base };
  }
  if (kind === 'git') {
    const revision = rendered.revision === undefined || rendered.revision === null ? 'HEAD' : String(rendered.revision);
    return { kind: 'git', git: String(rendered.git), revision, ...(typeof rendered.subdirectory === 'string' ? { subdirectory: rendered.subdirectory } : {}), warnUnpinned: rendered['warn-unpinned'] !== false, ...base };
  }
  if (kind === 'local') return { kind: 'local', local: String(rendered.local), baseDir, ...base };
  if (typeof rendered.name !== 'string') return bad(`tarball package ${String(rendered.tarball)} has no name:`, 'add name: <the project name the tarball holds> (as dbt requires)');
  return { kind: 'tarball', tarball: String(rendered.tarball), name: rendered.name, ...base };
}

export interface PackagesList {
  /** `packages.yml` or `dependencies.yml`; undefined when the project has neither. */
  file?: string;
  specs: PackageSpec[];
  /** The entries as dbt hashes them for the lock file (`hashForm`). */
  written: Record<string, unknown>[];
  diagnostics: Diagnostic[];
}

/**
 * The packages a project (the root, or a package being resolved) asks for: its `packages.yml`, else the
 * `packages:` of its `dependencies.yml`. `env_var()` and `var()` are rendered as dbt renders this file.
 */
export function readPackagesList(dir: string, by: string, baseDir: string, ctx: { env: NodeJS.ProcessEnv; vars: Record<string, unknown> }, label = ''): PackagesList {
  for (const file of ['packages.yml', 'dependencies.yml']) {
    const abs = join(dir, file);
    if (!existsSync(abs)) continue;
    const shown = `${label}${file}`;
    const parsed = parseYamlFile(shown, readFileSync(abs, 'utf8'));
    if (!parsed.file) return { file: shown, specs: [], written: [], diagnostics: parsed.diagnostics };
    const list = (parsed.file.value as { packages?: unknown } | null)?.packages;
    const diagnostics: Diagnostic[] = [];
    const specs: PackageSpec[] = [];
    const written: Record<string, unknown>[] = [];
    if (list !== undefined && list !== null && !Array.isArray(list)) {
      diagnostics.push({ code: 'packages-invalid', severity: 'error', message: `packages: in ${shown} must be a list`, file: shown, line: parsed.file.lineOf(['packages']), hint: 'write packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.3.0' });
    }
    (Array.isArray(list) ? list : []).forEach((raw, i) => {
      const entry = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
      const line = parsed.file!.lineOf(['packages', i]);
      // packages.yml may read secret env vars (a token in a git URL), as in dbt.
      const rendered = renderYamlTree(entry, { ...ctx, allowSecretEnv: true }, ['packages', i], (_p, name, kind) => {
        diagnostics.push({ code: kind === 'env_var' ? 'env-var-not-found' : 'var-not-found', severity: 'error', message: `${kind}('${name}') in ${shown} is not set and has no default`, file: shown, line, hint: kind === 'env_var' ? `export ${name}=…` : `pass --vars '{${name}: …}'` });
      }) as Record<string, unknown>;
      const spec = specOf(entry, rendered, { file: shown, line, by }, baseDir);
      if ('code' in spec) diagnostics.push(spec);
      else {
        specs.push(spec);
        written.push(hashForm(spec, rendered));
      }
    });
    return { file: shown, specs, written, diagnostics };
  }
  return { specs: [], written: [], diagnostics: [] };
}

/**
 * The name a spec is known by before it is fetched, for messages: `dbt-labs/dbt_utils`, a URL, a folder. URLs
 * as written, before env_var() is rendered: a token in a git URL never reaches a message.
 */
export function specLabel(spec: PackageSpec): string {
  const written = (key: string): string => String(spec.written[key] ?? '');
  return spec.kind === 'hub' ? spec.package : spec.kind === 'git' ? `${written('git')}${spec.subdirectory ? ` (${spec.subdirectory})` : ''}` : spec.kind === 'local' ? spec.local : written('tarball');
}

/**
 * An entry as dbt's package contract serialises it for `sha1_hash`: its fields (rendered; unset optional
 * ones left out) and `unrendered`, the entry as written.
 */
export function hashForm(spec: PackageSpec, rendered: Record<string, unknown>): Record<string, unknown> {
  const set = (keys: string[]): Record<string, unknown> => Object.fromEntries(keys.filter((k) => rendered[k] !== undefined && rendered[k] !== null).map((k) => [k, rendered[k]]));
  const fields = spec.kind === 'local' ? set(['local'])
    : spec.kind === 'tarball' ? set(['tarball', 'name'])
    : spec.kind === 'git' ? set(['git', 'revision', 'warn-unpinned', 'subdirectory'])
    : { ...set(['package', 'version']), install_prerelease: rendered['install-prerelease'] === true };
  return { ...fields, unrendered: spec.written };
}
