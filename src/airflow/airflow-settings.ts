import type { Diagnostic } from '../diagnostics/index.js';
import { didYouMean } from '../diagnostics/index.js';
import type { AirflowSettings, Execution, GroupBy, Schedule, TestBehavior } from './types.js';

/** The keys of the project file's `airflow:` block; each has a flag of the same name in kebab-case. */
export const AIRFLOW_KEYS = [
  'dag_id', 'schedule', 'start_date', 'catchup', 'retries', 'retry_delay', 'max_active_runs', 'max_active_tasks', 'tags',
  'select', 'exclude', 'selector', 'target', 'project_dir', 'profiles_dir', 'group_by', 'test_behavior', 'execution',
  'image', 'namespace', 'strata_command', 'runs_dir', 'parse_task', 'parse_cache', 'pool',
] as const;
export type AirflowKey = (typeof AIRFLOW_KEYS)[number];

/** Values as given: flags (strings, string lists, booleans) or the YAML block (any type). */
export type AirflowInput = Partial<Record<AirflowKey, unknown>>;

export interface SettingsInput {
  projectName: string;
  /** The project file's `airflow:` block. */
  block?: { settings: Record<string, unknown>; line: number; lines: Record<string, number>; valid: boolean };
  configFile: string;
  flags: AirflowInput;
  /** The project folder and profiles folder of this machine: the worker's unless told otherwise. */
  projectDir: string;
  profilesDir?: string;
  vars: Record<string, unknown>;
}

const PRESETS = new Set(['@once', '@continuous', '@hourly', '@daily', '@weekly', '@monthly', '@quarterly', '@yearly', '@annually']);
const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const DURATION = /^(\d+)\s*(s|m|h|d|w)$/;

/** `30m`, `2h`, `1d` → seconds; undefined when it is not a duration. */
export function durationSeconds(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  return m ? Number(m[1]) * UNITS[m[2]!]! : undefined;
}

function schedule(text: string): Schedule | undefined {
  const t = text.trim();
  if (t === 'none' || t === 'None' || t === 'null') return { kind: 'none' };
  if (PRESETS.has(t)) return { kind: 'cron', value: t };
  const seconds = durationSeconds(t);
  if (seconds !== undefined && seconds > 0) return { kind: 'every', seconds };
  const fields = t.split(/\s+/);
  if (fields.length === 5 && fields.every((f) => /^[\d*/,\-A-Za-z?LW#]+$/.test(f))) return { kind: 'cron', value: fields.join(' ') };
  return undefined;
}

const START_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?$/;

/** Flags whose names differ from their key's. */
const FLAG_OF: Partial<Record<AirflowKey, string>> = { project_dir: '--worker-project-dir', profiles_dir: '--worker-profiles-dir' };

/** Typed reads of one option, flag over block; a bad value adds a diagnostic naming the flag or the file and line. */
function optionReader(input: SettingsInput, diagnostics: Diagnostic[]) {
  const block = input.block;
  const given = (key: AirflowKey): { value: unknown; where: { file: string; line?: number } } | undefined => {
    const flag = input.flags[key];
    if (flag !== undefined) return { value: flag, where: { file: FLAG_OF[key] ?? `--${key.replace(/_/g, '-')}` } };
    const v = block?.settings[key];
    return v === undefined || v === null ? undefined : { value: v, where: { file: input.configFile, line: block!.lines[key] } };
  };
  const bad = (key: AirflowKey, message: string, hint: string): void => {
    const where = given(key)!.where;
    diagnostics.push({ code: 'airflow-invalid', severity: 'error', message: `${where.file.startsWith('--') ? where.file : `airflow.${key}`}: ${message}`, ...where, hint });
  };
  const text = (key: AirflowKey): string | undefined => {
    const g = given(key);
    return g === undefined ? undefined : String(g.value);
  };
  return {
    given, bad, text,
    list(key: AirflowKey): string[] | undefined {
      const g = given(key);
      if (g === undefined) return undefined;
      return (Array.isArray(g.value) ? g.value.map(String) : String(g.value).split(/[\s,]+/)).filter(Boolean);
    },
    bool(key: AirflowKey, fallback: boolean): boolean {
      const g = given(key);
      if (g === undefined) return fallback;
      if (typeof g.value === 'boolean') return g.value;
      const v = String(g.value).toLowerCase();
      if (['true', 'yes', 'on', '1'].includes(v)) return true;
      if (['false', 'no', 'off', '0'].includes(v)) return false;
      bad(key, `'${String(g.value)}' is not true or false`, 'write true or false');
      return fallback;
    },
    whole(key: AirflowKey, fallback: number, min: number): number {
      const t = text(key);
      if (t === undefined) return fallback;
      const n = Number(t);
      if (Number.isInteger(n) && n >= min) return n;
      bad(key, `'${t}' is not a whole number ≥ ${min}`, `e.g. ${Math.max(min, 1)}`);
      return fallback;
    },
    choice<T extends string>(key: AirflowKey, choices: readonly T[], fallback: T): T {
      const t = text(key)?.replace(/-/g, '_');
      if (t === undefined) return fallback;
      if ((choices as readonly string[]).includes(t)) return t as T;
      bad(key, `'${t}' is not one of ${choices.join(', ')}`, didYouMean(t, choices) ?? `use one of: ${choices.join(', ')}`);
      return fallback;
    },
  };
}
type Reader = ReturnType<typeof optionReader>;

/** The block itself: a mapping, of known keys. */
function checkBlock(input: SettingsInput): Diagnostic[] {
  const block = input.block;
  if (!block) return [];
  const out: Diagnostic[] = [];
  if (!block.valid) out.push({ code: 'airflow-invalid', severity: 'error', message: `airflow: in ${input.configFile} must be a mapping of options`, file: input.configFile, line: block.line, hint: 'e.g. airflow: {schedule: "@daily", retries: 2}' });
  for (const key of Object.keys(block.settings)) {
    if ((AIRFLOW_KEYS as readonly string[]).includes(key)) continue;
    out.push({ code: 'airflow-invalid', severity: 'error', message: `unknown key '${key}' under airflow: in ${input.configFile}`, file: input.configFile, line: block.lines[key], hint: didYouMean(key, AIRFLOW_KEYS) ?? `use one of: ${AIRFLOW_KEYS.join(', ')}` });
  }
  return out;
}

/** Schedule, retry delay and start date: the options with a syntax of their own. */
function timing(r: Reader): Pick<AirflowSettings, 'schedule' | 'retryDelaySeconds' | 'startDate'> {
  let sched: Schedule = { kind: 'cron', value: '@daily' };
  const schedText = r.text('schedule');
  if (schedText !== undefined) {
    const s = schedule(schedText);
    if (s) sched = s;
    else r.bad('schedule', `'${schedText}' is not a schedule`, "use a cron expression ('0 3 * * *'), a preset (@daily, @hourly), an interval (30m, 1h, 1d) or none");
  }
  let retryDelaySeconds = 300;
  const delayText = r.text('retry_delay');
  if (delayText !== undefined) {
    const d = /^\d+$/.test(delayText.trim()) ? Number(delayText) : durationSeconds(delayText);
    if (d !== undefined) retryDelaySeconds = d;
    else r.bad('retry_delay', `'${delayText}' is not a duration`, 'e.g. 5m, 30s, 1h (a bare number is seconds)');
  }
  const startDate = r.text('start_date') ?? '2024-01-01';
  if (!START_DATE.test(startDate) || Number.isNaN(Date.parse(startDate.replace(' ', 'T') + (startDate.length > 10 ? 'Z' : '')))) r.bad('start_date', `'${startDate}' is not a date`, 'write YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)');
  return { schedule: sched, retryDelaySeconds, startDate };
}

/** Reads the options, flags over the block over defaults; every bad value is a diagnostic naming the flag or the line. */
export function resolveAirflowSettings(input: SettingsInput): { settings: AirflowSettings; diagnostics: Diagnostic[] } {
  const diagnostics = checkBlock(input);
  const r = optionReader(input, diagnostics);
  const when = timing(r);
  const execution = r.choice<Execution>('execution', ['local', 'docker', 'kubernetes'], 'local');
  const image = r.text('image');
  if (execution !== 'local' && !image) diagnostics.push({ code: 'airflow-invalid', severity: 'error', message: `--execution ${execution} needs the image that holds Strata and the project`, file: '--image', hint: 'add --image registry/strata-project:tag (or image: in the airflow: block)' });
  const dagId = r.text('dag_id') ?? `strata_${input.projectName}`;
  if (!/^[A-Za-z0-9_.-]+$/.test(dagId)) r.bad('dag_id', `'${dagId}' is not a valid DAG id`, 'use letters, digits, _, . and - only');
  const projectDir = r.text('project_dir') ?? input.projectDir;
  const settings: AirflowSettings = {
    dagId,
    ...when,
    catchup: r.bool('catchup', false),
    retries: r.whole('retries', 0, 0),
    maxActiveRuns: r.whole('max_active_runs', 1, 1),
    ...(r.given('max_active_tasks') ? { maxActiveTasks: r.whole('max_active_tasks', 1, 1) } : {}),
    tags: r.list('tags') ?? ['strata'],
    select: r.list('select'),
    exclude: r.list('exclude'),
    selector: r.text('selector'),
    target: r.text('target'),
    projectDir,
    profilesDir: r.text('profiles_dir') ?? input.profilesDir,
    groupBy: r.choice<GroupBy>('group_by', ['layer', 'folder', 'none'], 'layer'),
    testBehavior: r.choice<TestBehavior>('test_behavior', ['after_each', 'after_all', 'none', 'build'], 'after_each'),
    execution,
    image,
    namespace: r.text('namespace'),
    strataCommand: r.text('strata_command') ?? 'strata',
    runsDir: r.text('runs_dir') ?? `${projectDir.replace(/\/$/, '')}/target/airflow`,
    parseTask: r.bool('parse_task', execution === 'local'),
    parseCache: r.text('parse_cache') ?? `${projectDir.replace(/\/$/, '')}/target`,
    pool: r.text('pool'),
    vars: input.vars,
  };
  return { settings, diagnostics };
}
