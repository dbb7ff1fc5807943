/**
 * dbt's global configs where a command line does not set them: from `DBT_*` (or `STRATA_*`) environment variables,
 * then from the project file's `flags:`, as dbt reads them (flag, then environment, then project flags). Airflow
 * deployments and CI often set `DBT_FAIL_FAST` or `DBT_WARN_ERROR`; a dbt project may keep `fail_fast: true`
 * under `flags:`. Read before the command's output starts, since some of them shape it (`log_format`, `quiet`).
 */
import { projectFlags } from '../api/project-flags.js';
import type { GlobalFlags } from './shared-options.js';

/** The flags a global config sets: its name in `flags:` (and `DBT_<NAME>`), the flag's field, and its kind. */
const CONFIGS: { name: string; field: keyof ConfigurableFlags; kind: 'boolean' | readonly string[] }[] = [
  { name: 'fail_fast', field: 'failFast', kind: 'boolean' },
  { name: 'warn_error', field: 'warnError', kind: 'boolean' },
  { name: 'partial_parse', field: 'partialParse', kind: 'boolean' },
  { name: 'use_colors', field: 'useColors', kind: 'boolean' },
  { name: 'quiet', field: 'quiet', kind: 'boolean' },
  { name: 'debug', field: 'debug', kind: 'boolean' },
  { name: 'log_format', field: 'logFormat', kind: ['text', 'json'] },
  { name: 'log_level', field: 'logLevel', kind: ['debug', 'info', 'warn', 'error', 'none'] },
  { name: 'log_level_file', field: 'logLevelFile', kind: ['debug', 'info', 'warn', 'error', 'none'] },
  { name: 'indirect_selection', field: 'indirectSelection', kind: ['eager', 'cautious', 'buildable', 'empty'] },
];

export interface ConfigurableFlags extends GlobalFlags {
  failFast?: boolean;
  indirectSelection?: string;
}

const TRUE = /^(1|true|t|yes|y|on)$/i;
const FALSE = /^(0|false|f|no|n|off)$/i;

/** A value of the config's kind, or undefined (unset or not one: the project file's own check reports a bad flag). */
function valueOf(kind: 'boolean' | readonly string[], v: unknown): boolean | string | undefined {
  if (kind === 'boolean') {
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string') return TRUE.test(v) ? true : FALSE.test(v) ? false : undefined;
    return undefined;
  }
  const s = typeof v === 'string' ? v.toLowerCase() : undefined;
  // dbt's log formats `default` and `debug` are its text output.
  const text = s === 'default' || s === 'debug' ? 'text' : s;
  return text !== undefined && kind.includes(text) ? text : undefined;
}

/** Fills the flags the command line left unset (in place, so a command's own flags object sees them too). */
export function applyGlobalConfigs(flags: ConfigurableFlags, env: NodeJS.ProcessEnv = process.env): void {
  // dbt's `--profile` and `--target` read DBT_PROFILE and DBT_TARGET; they are not project flags.
  flags.profile ??= env.STRATA_PROFILE || env.DBT_PROFILE || undefined;
  flags.target ??= env.STRATA_TARGET || env.DBT_TARGET || undefined;
  let fromProject: Record<string, unknown> | undefined;
  for (const { name, field, kind } of CONFIGS) {
    // `--no-partial-parse` is the only spelling of that flag: `true` is commander's default, not a choice.
    const given = field === 'partialParse' ? flags.partialParse === false : flags[field] !== undefined;
    if (given) continue;
    const upper = name.toUpperCase();
    // An empty variable is unset, as click reads DBT_* (so an empty STRATA_* does not hide DBT_*).
    const envName = env[`STRATA_${upper}`] ? `STRATA_${upper}` : `DBT_${upper}`;
    let value = valueOf(kind, env[envName] || undefined);
    const from = value !== undefined ? envName : `the project file's flags.${name}`;
    if (value === undefined) value = valueOf(kind, (fromProject ??= projectFlags(flags.projectDir))[name]);
    if (value !== undefined) (flags as Record<string, unknown>)[field] = value;
    if (value !== undefined && field === 'warnError') flags.warnErrorFrom = from;
  }
  // warn_error_options: a mapping (checked where the command's options are made, a bad one a usage error).
  if (flags.warnErrorOptions === undefined) {
    const fromEnv = env.STRATA_WARN_ERROR_OPTIONS || env.DBT_WARN_ERROR_OPTIONS || undefined;
    const fromFlags = fromEnv === undefined ? (fromProject ??= projectFlags(flags.projectDir)).warn_error_options : undefined;
    const value = fromEnv ?? fromFlags;
    if (typeof value === 'string' || (value && typeof value === 'object' && !Array.isArray(value))) {
      flags.warnErrorOptions = value as string | Record<string, unknown>;
      flags.warnErrorOptionsFrom = fromEnv !== undefined ? (env.STRATA_WARN_ERROR_OPTIONS ? 'STRATA_WARN_ERROR_OPTIONS' : 'DBT_WARN_ERROR_OPTIONS') : "the project file's flags.warn_error_options";
    }
  }
}
