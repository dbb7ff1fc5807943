/**
 * dbt's `warn_error_options` (`--warn-error-options`, DBT_WARN_ERROR_OPTIONS, or the project file's
 * `flags: {warn_error_options: …}`): which warnings fail the command as `--warn-error` makes every one fail.
 * Names are dbt's event names (`NoNodesForSelectionCriteria`, `LogTestResult`, …) or Strata's diagnostic codes
 * (`selector-matched-nothing`); a Strata warning dbt also has answers to both.
 */
import { didYouMean } from '../diagnostics/index.js';
import { DBT_WARNING_EVENTS } from './dbt-warning-events.js';
import { parseYamlFile } from '../project/yaml-file.js';

/** As dbt normalizes them: `include` is `error`'s older name, `exclude` `warn`'s. */
export interface WarnErrorOptions {
  /** `all` (or `*`): every warning, except those under `warn` or `silence`. */
  error: 'all' | string[];
  warn: string[];
  /** Warnings not shown (and never failing), as dbt silences them. */
  silence: string[];
}

/** Strata's warning codes and the dbt event each is, where dbt has one (null: dbt has no such warning). */
export const STRATA_WARNINGS: Readonly<Record<string, string | null>> = {
  'selector-matched-nothing': 'NoNodesForSelectionCriteria',
  'nothing-to-do': 'NothingToDo',
  'patch-target-not-found': 'NoNodeForYamlKey',
  'patch-wrong-resource': 'WrongResourceSchemaFile',
  'config-unknown-key': 'CustomKeyInConfigDeprecation',
  'package-unpinned': 'DepsUnpinned',
  'constraint-not-enforced': 'ConstraintNotEnforced',
  'constraint-not-created': 'ConstraintNotSupported',
  'test-target-disabled': 'NodeNotFoundOrDisabled',
  'microbatch-no-event-time-input': 'MicrobatchModelNoEventTimeInputs',
  // A test that warned (a node's status, not a diagnostic).
  'test-warned': 'LogTestResult',
  'project-unknown-key': null, 'project-unknown-flag': null, 'project-dbt-version': null, 'package-dbt-version': null,
  'packages-not-installed': null, 'python-model-unsupported': null, 'snapshot-file-empty': null, 'grants-unsupported': null,
  'exposure-metric-ignored': null, 'nothing-to-retry': null, 'retry-node-gone': null, 'clean-keeps-database': null,
  'docs-artifact-invalid': null, 'docs-site-assets-missing': null, 'docs-index-kept': null, 'lineage-incomplete': null, 'clean-keeps-bronze': null,
  'clean-keeps-landing': null,
};

const KEYS = ['error', 'include', 'warn', 'exclude', 'silence'];
const ALL = new Set(['all', '*']);

/** The options from a YAML/JSON text (command line, environment) or a mapping (project flags); `problem`: why not. */
export function readWarnErrorOptions(value: unknown): { options?: WarnErrorOptions; problem?: string } {
  let raw: unknown = value;
  if (typeof value === 'string') {
    const parsed = parseYamlFile('--warn-error-options', value);
    if (!parsed.file) return { problem: `is not YAML or JSON: ${value}` };
    raw = parsed.file.value;
  }
  if (raw === null || raw === undefined || raw === '') return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) return { problem: `must be a mapping of ${KEYS.join('/')}, not ${JSON.stringify(raw)}` };
  const given = raw as Record<string, unknown>;
  const unknownKey = Object.keys(given).find((k) => !KEYS.includes(k));
  if (unknownKey) return { problem: `has '${unknownKey}', which is none of ${KEYS.join(', ')}` };
  // As Python's truth: an empty list is no value (`{error: [], include: [X]}` is include's).
  const present = (v: unknown): boolean => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && !v.length);
  for (const [primary, alt] of [['error', 'include'], ['warn', 'exclude']] as const) {
    if (present(given[primary]) && present(given[alt])) return { problem: `has both '${alt}' and '${primary}': only one of them can be given (${alt} is ${primary}'s older name)` };
  }
  const list = (key: 'error' | 'warn' | 'silence', alt?: string): string[] | 'all' | string => {
    const v = alt && present(given[alt]) ? given[alt] : given[key];
    if (v === null || v === undefined) return [];
    if (typeof v === 'string') return ALL.has(v) ? 'all' : `'${alt && present(given[alt]) ? alt : key}' must be "all", "*" or a list of names, not '${v}'`;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return `'${key}' must be "all", "*" or a list of names`;
    return v as string[];
  };
  const error = list('error', 'include');
  const warn = list('warn', 'exclude');
  const silence = list('silence');
  for (const v of [error, warn, silence]) if (typeof v === 'string' && v !== 'all') return { problem: v };
  if (warn === 'all' || silence === 'all') return { problem: `'${warn === 'all' ? 'warn' : 'silence'}' must be a list of names` };
  const options: WarnErrorOptions = { error: error as 'all' | string[], warn: warn as string[], silence: silence as string[] };
  // dbt's rule: naming warnings that stay warnings only makes sense beside `error: all` (or Deprecations).
  if (options.warn.length && !(options.error === 'all' || options.error.includes('Deprecations') || options.silence.includes('Deprecations'))) {
    return { problem: `'warn' (or 'exclude') can only be given when 'error' is "all" or "*" (or Deprecations is under error or silence)` };
  }
  for (const name of [...(options.error === 'all' ? [] : options.error), ...options.warn, ...options.silence]) {
    if (DBT_WARNING_EVENTS.has(name) || name in STRATA_WARNINGS) continue;
    const near = didYouMean(name, [...DBT_WARNING_EVENTS, ...Object.keys(STRATA_WARNINGS)]);
    return { problem: `names '${name}', which is not a valid dbt error name nor a Strata warning code${near ? ` (${near})` : ''}` };
  }
  return { options };
}

/**
 * Whether a warning of this Strata code fails the command: always with `--warn-error`; with `warn_error_options`
 * when it is named under `error` (by its code or its dbt event name) or `error` is all, and it is not named
 * under `warn` or `silence` (dbt's order: a name beats all, and silence/warn beat error).
 */
export function warningFails(code: string, settings: { warnError?: boolean; warnErrorOptions?: WarnErrorOptions }): boolean {
  if (settings.warnError) return true;
  const o = settings.warnErrorOptions;
  if (!o) return false;
  const names = namesOf(code);
  if (names.some((n) => o.warn.includes(n) || o.silence.includes(n))) return false;
  return o.error === 'all' || names.some((n) => (o.error as string[]).includes(n));
}

/** Whether `silence` names this warning (by code, dbt event name, or Deprecations): it is then not shown. */
export function warningSilenced(code: string, options: WarnErrorOptions): boolean {
  return namesOf(code).some((n) => options.silence.includes(n));
}

/** A warning's names: its Strata code, its dbt event name, and `Deprecations` (dbt's group) for a deprecation. */
function namesOf(code: string): string[] {
  const dbtName = STRATA_WARNINGS[code] ?? undefined;
  return [code, dbtName, dbtName?.endsWith('Deprecation') ? 'Deprecations' : undefined].filter((n): n is string => !!n);
}
