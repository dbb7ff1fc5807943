import type { Diagnostic } from '../diagnostics/index.js';

/** Keys of the project file whose value is a mapping of configs (by package and folder). */
const CONFIG_MAPS = ['models', 'seeds', 'snapshots', 'sources', 'data_tests', 'tests', 'exposures', 'unit_tests', 'quoting', 'flags', 'saved-queries', 'semantic-models', 'metrics'];

/** Keys of the project file whose value is a string. */
const STRINGS = ['profile', 'target-path', 'packages-install-path', 'log-path', 'docs-path', 'config-version', 'require-dbt-version'];

/** Configs whose value has one type, wherever they are set in the project file (`+materialized: table`). */
const TYPED_CONFIGS: Record<string, 'text' | 'boolean' | 'texts'> = {
  materialized: 'text', schema: 'text', alias: 'text', database: 'text', incremental_strategy: 'text', on_schema_change: 'text', severity: 'text', store_failures_as: 'text',
  enabled: 'boolean', full_refresh: 'boolean', store_failures: 'boolean', quote_columns: 'boolean',
  tags: 'texts',
};

function typeProblem(kind: 'text' | 'boolean' | 'texts', v: unknown): string | undefined {
  // Jinja (`+enabled: "{{ target.name == 'prod' }}"`) is rendered later; its result is not known here.
  if (typeof v === 'string' && v.includes('{{')) return undefined;
  if (kind === 'text') return typeof v === 'string' || v === null ? undefined : 'text';
  if (kind === 'boolean') return typeof v === 'boolean' || v === null ? undefined : 'true or false';
  return typeof v === 'string' || v === null || (Array.isArray(v) && v.every((x) => typeof x === 'string')) ? undefined : 'a tag or a list of tags';
}

/** `+materialized: [table]`, `+enabled: 'maybe'` under models:/seeds:/snapshots:/data_tests:, each with its line. */
function configTypeDiagnostics(raw: Record<string, unknown>, file: string, lineOf: (path: (string | number)[]) => number | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const walk = (v: unknown, path: string[]): void => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return;
    for (const [k, child] of Object.entries(v)) {
      const name = k.startsWith('+') ? k.slice(1) : k;
      const kind = TYPED_CONFIGS[name];
      // A folder may share a config's name only without '+' and as a mapping: then it is a folder.
      if (kind && (k.startsWith('+') || !child || typeof child !== 'object' || Array.isArray(child))) {
        const want = typeProblem(kind, child);
        if (want) out.push({ code: 'config-invalid', severity: 'error', message: `${[...path, k].join('.')} must be ${want}, not ${JSON.stringify(child)}`, file, line: lineOf([...path, k]) ?? 1, hint: kind === 'boolean' ? `${k}: true` : kind === 'text' ? `${k}: ${Array.isArray(child) ? String(child[0] ?? 'table') : 'table'}` : `${k}: [nightly, finance]` });
        continue;
      }
      walk(child, [...path, k]);
    }
  };
  for (const key of ['models', 'seeds', 'snapshots', 'data_tests', 'tests', 'sources', 'unit_tests']) walk(raw[key], [key]);
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
  out.push(...configTypeDiagnostics(raw, file, lineOf));
  return out;
}
