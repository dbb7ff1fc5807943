import type { Diagnostic } from '../diagnostics/index.js';
import { projectFlagDiagnostics } from './project-flags.js';
import { DBT_COMPAT_VERSION } from './dbt-compat.js';
import { badVersionSpecs, meetsSpecifier, parseSpecifier, parseVersion, versionSpecEntries } from './version-spec.js';
import { configValueProblem, describeConfigProblem, misspeltConfig, nestedConfigProblem } from './config-values.js';

/** Keys of the project file whose value is a mapping of configs (by package and folder). */
const CONFIG_MAPS = ['models', 'seeds', 'snapshots', 'sources', 'data_tests', 'tests', 'exposures', 'unit_tests', 'quoting', 'flags', 'saved-queries', 'semantic-models', 'metrics'];

/** Keys of the project file whose value is a string. */
const STRINGS = ['profile', 'target-path', 'packages-install-path', 'log-path', 'docs-path', 'config-version', 'require-dbt-version'];

/** Configs whose values are checked on models only. */
const MODEL_ONLY = new Set(['batch_size', 'lookback']);

/** Folder keys that are configs even without '+' when their value is a mapping (dbt's dict configs). */
const MAPPING_CONFIGS = new Set(['meta', 'persist_docs', 'grants', 'column_types', 'docs', 'contract', 'partition_by']);

/** `+materialized: [table]`, `+enabled: 'maybe'`, `+severity: fatal` under models:/seeds:/snapshots:/data_tests:, each with its line. */
function configTypeDiagnostics(raw: Record<string, unknown>, file: string, lineOf: (path: (string | number)[]) => number | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (path: (string | number)[], message: string, example: string): void => {
    out.push({ code: 'config-invalid', severity: 'error', message, file, line: lineOf(path) ?? lineOf(path.slice(0, -1)) ?? 1, hint: example });
  };
  const walk = (v: unknown, path: string[]): void => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return;
    for (const [k, child] of Object.entries(v)) {
      const name = k.startsWith('+') ? k.slice(1) : k;
      const isMapping = !!child && typeof child === 'object' && !Array.isArray(child);
      // A folder may share a config's name only without '+' and as a mapping: then it is a folder.
      const folder = isMapping && (!MAPPING_CONFIGS.has(name) || Object.keys(child).some((c) => c.startsWith('+')));
      if (!k.startsWith('+') && folder) {
        walk(child, [...path, k]);
        continue;
      }
      const known = k.startsWith('+') ? misspeltConfig(name) : undefined;
      if (known) out.push({ code: 'config-unknown-key', severity: 'warn', message: `${[...path, k].join('.')}: '${name}' is no config, so it has no effect`, file, line: lineOf([...path, k]) ?? 1, hint: `did you mean '+${known}'?` });
      // Microbatch settings are models'; a seed's `+batch_size: 200` is another thing (adapters' seed batches, as Tuva's), unchecked as in dbt.
      const problem = path[0] !== 'models' && MODEL_ONLY.has(name) ? undefined : configValueProblem(name, child);
      if (problem) {
        report([...path, k], describeConfigProblem([...path, k].join('.'), child, problem), problem.example);
        continue;
      }
      const nested = nestedConfigProblem(name, child);
      if (nested) report([...path, k, nested.key], describeConfigProblem([...path, k, nested.key].join('.'), (child as Record<string, unknown>)[nested.key], nested.problem), nested.problem.example);
    }
  };
  for (const key of ['models', 'seeds', 'snapshots', 'data_tests', 'tests', 'sources', 'unit_tests']) walk(raw[key], [key]);
  for (const key of ['on-run-start', 'on-run-end']) {
    const hooks = raw[key];
    const list = Array.isArray(hooks) ? hooks : [hooks];
    list.forEach((h, i) => {
      if (h === undefined || h === null || typeof h === 'string') return;
      report(Array.isArray(hooks) ? [key, i] : [key], `${key} must be SQL text or a list of SQL texts, not ${JSON.stringify(h)}`, `${key}:\n  - "grant usage on schema {{ target.schema }} to role reporter"`);
    });
  }
  return out;
}

/**
 * The types of the project file's top-level settings, checked before any is used: `models: nope` or
 * `profile: 3` is a located error, never a crash later on or a wrong value silently accepted.
 */
export function projectShapeDiagnostics(raw: Record<string, unknown>, file: string, lineOf: (path: (string | number)[]) => number | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const describe = (v: unknown): string => (Array.isArray(v) ? 'a list' : v === null ? 'empty' : typeof v === 'object' ? 'a mapping' : `${typeof v === 'string' ? 'the text' : `the ${typeof v}`} ${JSON.stringify(v)}`);
  for (const key of CONFIG_MAPS) {
    const v = raw[key];
    if (v === undefined || v === null || (typeof v === 'object' && !Array.isArray(v))) continue;
    out.push({ code: 'project-invalid', severity: 'error', message: `${key} must be a mapping, not ${describe(v)}`, file, line: lineOf([key]) ?? 1, hint: `${key}:\n    ${String(raw.name ?? 'my_project')}:\n      +enabled: true` });
  }
  for (const key of STRINGS) {
    const v = raw[key];
    if (v === undefined || typeof v === 'string' || (key === 'config-version' && typeof v === 'number') || (key === 'require-dbt-version' && Array.isArray(v))) continue;
    out.push({ code: 'project-invalid', severity: 'error', message: `${key} must be text, not ${describe(v)}`, file, line: lineOf([key]) ?? 1, hint: v !== null && typeof v === 'object' ? `${key}: my_value` : `quote it: ${key}: "${String(v)}"` });
  }
  out.push(...configTypeDiagnostics(raw, file, lineOf), ...settingDiagnostics(raw, file, lineOf), ...projectFlagDiagnostics(raw.flags, file, lineOf));
  out.push(...requireDbtVersionDiagnostics(raw['require-dbt-version'], file, lineOf));
  return out;
}

/**
 * Each malformed specifier of `require-dbt-version:` ("banana", ">=1.x.y!") is an error; a well-formed one that
 * excludes the dbt version Strata follows is a warning, as for installed packages (dbt stops there; such a
 * project often works all the same). A non-text value is reported above.
 */
function requireDbtVersionDiagnostics(required: unknown, file: string, lineOf: (path: (string | number)[]) => number | undefined): Diagnostic[] {
  if (typeof required !== 'string' && !Array.isArray(required)) return [];
  const at = (index?: number): number => (index !== undefined ? lineOf(['require-dbt-version', index]) : undefined) ?? lineOf(['require-dbt-version']) ?? 1;
  const bad = badVersionSpecs(required);
  if (bad.length) {
    const hint = 'write a version with an optional comparison, or a list of them: require-dbt-version: [">=1.5.0", "<2.0.0"]';
    return bad.map((b) => ({ code: 'project-invalid', severity: 'error' as const, message: `require-dbt-version: ${JSON.stringify(b.text)} is not a version specifier`, file, line: at(b.index), hint }));
  }
  const strata = parseVersion(DBT_COMPAT_VERSION)!;
  const excluding = versionSpecEntries(required).find((e) => !meetsSpecifier(strata, parseSpecifier(String(e.text))!));
  if (!excluding) return [];
  return [{ code: 'project-dbt-version', severity: 'warn', message: `require-dbt-version ${JSON.stringify(required)} excludes dbt ${DBT_COMPAT_VERSION}, the version Strata follows`, file, line: at(excluding.index), hint: `allow it (e.g. require-dbt-version: ">=1.5.0"); Strata goes on, but dbt ${DBT_COMPAT_VERSION} features are what it offers` }];
}

/** `config-version` (dbt reads 2 only), `quoting:` (true or false each), `dispatch:` (namespaces and their search orders). */
function settingDiagnostics(raw: Record<string, unknown>, file: string, lineOf: (path: (string | number)[]) => number | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (path: (string | number)[], message: string, hint: string): void => {
    out.push({ code: 'project-invalid', severity: 'error', message, file, line: lineOf(path) ?? lineOf(path.slice(0, -1)) ?? 1, hint });
  };
  const version = raw['config-version'];
  if (version !== undefined && version !== null && String(version) !== '2') report(['config-version'], `config-version must be 2, not ${JSON.stringify(version)}`, 'config-version: 2 (or remove it)');
  const quoting = raw.quoting;
  if (quoting && typeof quoting === 'object' && !Array.isArray(quoting)) {
    for (const [k, v] of Object.entries(quoting)) {
      if (!['database', 'schema', 'identifier', 'snowflake_ignore_case'].includes(k)) report(['quoting', k], `quoting.${k} is not a quoting setting (database, schema, identifier)`, 'quoting:\n  identifier: true');
      else if (typeof v !== 'boolean' && v !== null) report(['quoting', k], `quoting.${k} must be true or false, not ${JSON.stringify(v)}`, `${k}: true`);
    }
  }
  const dispatch = raw.dispatch;
  if (dispatch !== undefined && dispatch !== null && !Array.isArray(dispatch)) report(['dispatch'], 'dispatch must be a list of {macro_namespace, search_order}', 'dispatch:\n  - macro_namespace: dbt_utils\n    search_order: [my_project, dbt_utils]');
  (Array.isArray(dispatch) ? dispatch : []).forEach((d, i) => {
    const e = d && typeof d === 'object' && !Array.isArray(d) ? (d as Record<string, unknown>) : undefined;
    if (!e || typeof e.macro_namespace !== 'string') report(['dispatch', i], 'each dispatch entry needs macro_namespace: (text)', '- macro_namespace: dbt_utils\n  search_order: [my_project, dbt_utils]');
    else if (!Array.isArray(e.search_order) || !e.search_order.every((x) => typeof x === 'string')) report(['dispatch', i, 'search_order'], `search_order of dispatch '${e.macro_namespace}' must be a list of package names`, `search_order: [my_project, ${e.macro_namespace}]`);
  });
  return out;
}
