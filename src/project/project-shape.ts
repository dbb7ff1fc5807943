import type { Diagnostic } from '../diagnostics/index.js';

/** Keys of the project file whose value is a mapping of configs (by package and folder). */
const CONFIG_MAPS = ['models', 'seeds', 'snapshots', 'sources', 'data_tests', 'tests', 'exposures', 'unit_tests', 'quoting', 'flags', 'saved-queries', 'semantic-models', 'metrics'];

/** Keys of the project file whose value is a string. */
const STRINGS = ['profile', 'target-path', 'packages-install-path', 'log-path', 'docs-path', 'config-version', 'require-dbt-version'];

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
    out.push({ code: 'project-invalid', severity: 'error', message: `${key} must be text, not ${describe(v)}`, file, line: lineOf([key]) ?? 1, hint: `quote it: ${key}: "${String(v)}"` });
  }
  return out;
}
