import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { yamlPackage } from '../project/yaml-package.js';
import type { Diagnostic } from '../diagnostics/index.js';
import { planTasks, renderPython, resolveAirflowSettings, type AirflowInput, type AirflowPlan, type OutputKind } from '../airflow/index.js';
import { prepareProject, type PrepareOutcome } from './prepare.js';
import { selectForCommand } from './state-option.js';
import type { CommonOptions, ExitCode, SelectionOptions } from './types.js';

export interface AirflowOptions extends CommonOptions, Pick<SelectionOptions, 'select' | 'exclude' | 'selector'> {
  /** A DAG file, or a module with a function that adds the tasks as a TaskGroup. */
  kind: OutputKind;
  /** The options of `strata airflow` (flags), over the project file's `airflow:` block. */
  airflow?: AirflowInput;
  /** Where to write the Python file; without it the source is only returned. */
  out?: string;
  /** The command line, quoted in the file's docstring. */
  commandLine?: string;
}

export interface AirflowResult {
  exitCode: ExitCode;
  diagnostics: Diagnostic[];
  source?: string;
  plan?: AirflowPlan;
  /** The absolute path written. */
  written?: string;
}

function varsObject(vars: CommonOptions['vars']): Record<string, unknown> {
  if (!vars) return {};
  if (typeof vars === 'object') return vars;
  const v = yamlPackage().parse(vars) as unknown;
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** The project read with the target the DAG will use: `--target`, else the `airflow:` block's `target:`. */
async function prepareForTarget(options: AirflowOptions): Promise<PrepareOutcome> {
  const first = await prepareProject({ ...options, profileOptional: true });
  if (!first.ok || options.target) return first;
  const target = first.prepared.project.config.airflow?.settings.target;
  if (typeof target !== 'string' || target === first.prepared.project.target.name) return first;
  return prepareProject({ ...options, target, profileOptional: true });
}

/** `strata airflow dag|task-group`: the Python source of a DAG with a task per node, from the manifest. Never opens the warehouse. */
export async function airflowDag(options: AirflowOptions): Promise<AirflowResult> {
  const outcome = await prepareForTarget(options);
  if (!outcome.ok) return { exitCode: 2, diagnostics: outcome.diagnostics };
  const p = outcome.prepared;
  const { config } = p.project;
  const flags: AirflowInput = { ...options.airflow };
  if (options.target) flags.target = options.target;
  if (options.select?.length) flags.select = options.select;
  if (options.exclude?.length) flags.exclude = options.exclude;
  if (options.selector) flags.selector = options.selector;
  const resolved = resolveAirflowSettings({
    projectName: config.name,
    block: config.airflow,
    configFile: config.configFile,
    flags,
    projectDir: config.rootDir,
    profilesDir: options.profilesDir ? resolve(options.profilesDir) : undefined,
    vars: varsObject(options.vars),
  });
  const diagnostics = [...p.diagnostics, ...resolved.diagnostics];
  if (resolved.diagnostics.some((d) => d.severity === 'error')) return { exitCode: 2, diagnostics };
  const settings = resolved.settings;
  const selection = selectForCommand(p, { select: settings.select, exclude: settings.exclude, selector: settings.selector, env: options.env });
  diagnostics.push(...selection.diagnostics);
  if (selection.diagnostics.some((d) => d.severity === 'error')) return { exitCode: 2, diagnostics };
  const target = { type: p.project.target.type, database: p.project.target.database, settings: p.project.target.settings };
  const plan = planTasks(p.graph, selection.ids, { ...settings, target: settings.target ?? p.project.target.name }, target);
  if (!plan.tasks.some((t) => t.kind !== 'parse')) {
    diagnostics.push({ code: 'airflow-empty', severity: 'error', message: 'the selection has no landing source, seed, snapshot or model to run', file: '--select', hint: 'check --select, --exclude and --selector with `strata ls`' });
    return { exitCode: 2, diagnostics };
  }
  // The profile's secrets never reach the file (the command line quoted in its docstring may hold one).
  const source = p.scrubber.scrub(renderPython(plan, { ...settings, target: settings.target ?? p.project.target.name }, options.kind, options.commandLine ?? `strata airflow ${options.kind}`));
  let written: string | undefined;
  if (options.out) {
    written = resolve(options.out);
    mkdirSync(dirname(written), { recursive: true });
    writeFileSync(written, source);
  }
  return { exitCode: 0, diagnostics, source, plan, ...(written ? { written } : {}) };
}
