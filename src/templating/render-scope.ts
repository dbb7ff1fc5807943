/** The names a template sees (`ref`, `source`, `config`, `this`, `var`, `adapter`, …) for one render. */
import { columnApi } from './api-column.js';
import { templateAdapter } from './template-adapter.js';
import { createRelation, relationObject } from './template-relation.js';
import { DATA_FUNCTIONS, messageFunctions } from './context-functions.js';
import type { RefCall, SourceCall } from '../parse/types.js';
import { didYouMean } from '../diagnostics/index.js';
import type { RenderNode, RunRenderContext, TemplateEnvironmentOptions } from './types.js';
import type { MacroRegistry } from './macro-registry.js';
import { splitArgs } from './call-args.js';
import { runStartedAt } from './python-datetime.js';
import { TemplateUserError } from './signals.js';
import { pythonModules } from './python-modules.js';
import { agateTable } from './agate-table.js';
import { Namespace, dbtReturn } from './jinja/index.js';
import { DBT_COMPAT_VERSION } from '../project/index.js';
import { varDigest } from './read-digests.js';
import { configFunction, envVarFunction, parseRelation, placeholder, refFunction, secretFunction, sourceFunction, varFunction } from './scope-functions.js';
import { dispatchTarget } from './static-macro-calls.js';

export { envDigest, varDigest } from './read-digests.js';

type Args = unknown[];

/** Records what a parse render saw. */
export interface ParseRecorder {
  refs: RefCall[];
  sources: SourceCall[];
  config: Record<string, unknown>;
  docRefs: string[];
  /** env_var() names read, with a hash of the value seen (null: unset), so a cached parse knows when it is stale. */
  env?: Record<string, string | null>;
  /** secret() names called: a cached parse sets their values on the session again. */
  secrets?: string[];
  /** var() names read, with a digest of the value seen (null: not set), so `--vars` a parse never read leave its caches valid. */
  vars?: Record<string, string | null>;
}

/**
 * `target.threads` as a var only the parse's caches see: `--threads` changes no parse that never read it, so the
 * caches leave it out of their keys and watch this entry instead, as they watch the vars a render read.
 */
export const THREADS_VAR = '\u0000target.threads';

/** The vars the parse caches compare: the project's and `--vars`, and the threads of this invocation. */
export function parseCacheVars(vars: Record<string, unknown>, threads: unknown): Record<string, unknown> {
  return { ...vars, [THREADS_VAR]: threads };
}

/** The target a parse render sees: reading `threads` is recorded like reading a var. */
function recordedTarget(target: Record<string, unknown>, recorder: ParseRecorder): Record<string, unknown> {
  const view = { ...target };
  Object.defineProperty(view, 'threads', {
    enumerable: true,
    get: () => {
      (recorder.vars ??= {})[THREADS_VAR] = varDigest(target.threads);
      return target.threads;
    },
  });
  return view;
}

export interface ScopeInput {
  options: TemplateEnvironmentOptions;
  registry: MacroRegistry;
  node: RenderNode;
  /** Parse render when set. */
  recorder?: ParseRecorder;
  run?: RunRenderContext;
  invocationId: string;
  runStartedAt: Date;
}

/** `modules`: stateless (the clock is read when called), so built once, not on each of thousands of renders. */
const MODULES = pythonModules(() => new Date());

export function buildScope(input: ScopeInput): Record<string, unknown> {
  const { options, node, recorder, run } = input;
  const execute = !!run?.warehouse;
  const adapterType = run?.adapterType ?? options.adapterType;

  const ref = refFunction(input);
  const source = sourceFunction(input);
  const configFn = configFunction(input);
  const varFn = varFunction(input, () => scope);
  const envVar = envVarFunction(input);
  const secret = secretFunction(input);
  const dispatch = dispatcher(input, adapterType);
  const thisRel = run ? relationObject(run.thisRelation, run.renderRelation, run.quoteIdentifier) : parseRelation({ schema: String(node.config.schema ?? 'schema'), identifier: node.name }, [String(node.config.schema ?? 'schema'), node.name]);
  const { runQuery, statement, loadResult } = warehouseCalls(run);
  const columnConventions = options.columnConventions?.(adapterType);
  const adapter = templateAdapter(adapterType, dispatch, run, options.behaviorFlags ?? {}, options.target, options.quoting ?? {}, columnConventions);

  const scope: Record<string, unknown> = {
    ref,
    source,
    config: configFn,
    var: varFn,
    env_var: envVar,
    secret,
    this: thisRel,
    // The built-in ref, source and config, for projects that override them with macros of the same name.
    builtins: { ref: options.runtimeConfig ? Object.assign((...a: Args) => ref(...a), { config: options.runtimeConfig }) : ref, source, config: configFn },
    target: recorder ? recordedTarget(options.target, recorder) : options.target,
    project_name: options.projectName,
    execute,
    is_incremental: () => !!run?.isIncremental,
    should_store_failures: () => storesFailures(node.config, run?.storeFailures === true),
    should_full_refresh: () => !!run?.fullRefresh,
    flags: { FULL_REFRESH: !!run?.fullRefresh, WHICH: (run && options.command) || 'run' },
    // dbt's args_to_dict: the command as `which`; false flags are left out, as dbt leaves them.
    invocation_args_dict: { which: (run && options.command) || 'run', ...(run?.fullRefresh ? { full_refresh: true } : {}) },
    invocation_id: input.invocationId,
    // dbt's context members: the target's database and schema, and the Python thread's name (a node's hooks are
    // told their worker's, `Thread-2`, through extraContext; on-run-start/end hooks and parsing run on the main one).
    database: options.target.database,
    schema: options.target.schema,
    thread_id: 'MainThread',
    // dbt's: the DBT_ENV_CUSTOM_ENV_* variables, without the prefix (dbt_artifacts uploads them with the invocation).
    dbt_metadata_envs: Object.fromEntries(Object.entries(options.env).filter(([k, v]) => k.startsWith('DBT_ENV_CUSTOM_ENV_') && v !== undefined).map(([k, v]) => [k.slice('DBT_ENV_CUSTOM_ENV_'.length), v])),
    run_started_at: runStartedAt(input.runStartedAt),
    modules: MODULES,
    model: { name: node.name, unique_id: node.uniqueId, resource_type: node.resourceType, package_name: node.packageName, fqn: node.fqn, config: node.config, original_file_path: node.originalFilePath ?? node.file, path: node.path, alias: node.name, ...modelBatch(node, run) },
    graph: run?.graph ?? { nodes: {}, sources: {}, exposures: {}, metrics: {}, groups: {}, semantic_models: {}, saved_queries: {} },
    selected_resources: run?.selectedResources ?? [],
    dbt_version: DBT_COMPAT_VERSION,
    adapter,
    api: { Column: columnApi(columnConventions), Relation: { create: (...a: Args) => createRelation(splitArgs(a).kw, run ? run.renderRelation : (r) => placeholder([r.schema, r.identifier]), options.quoting) } },
    run_query: runQuery,
    statement,
    load_result: loadResult,
    return: dbtReturn,
    ...messageFunctions(options, run),
    doc: (name: string) => {
      recorder?.docRefs.push(name);
      if (name in options.docs) return options.docs[name];
      if (recorder) return '';
      throw new TemplateUserError('doc-not-found', `doc('${name}') has no {% docs ${name} %} block`, didYouMean(name, Object.keys(options.docs)));
    },
    ...DATA_FUNCTIONS,
  };
  if (run?.extraContext) Object.assign(scope, run.extraContext);
  void Namespace;
  return scope;
}

/** dbt 1.9's `model.batch`: the batch of a microbatch model being built, else none. */
function modelBatch(node: RenderNode, run: RunRenderContext | undefined): { batch?: Record<string, unknown> | null } {
  if (run?.batch) return { batch: { id: run.batch.id, event_time_start: runStartedAt(run.batch.start), event_time_end: runStartedAt(run.batch.end) } };
  // dbt's models always have one (None outside a batch): `model.batch.id` renders empty while parsing, not an error.
  return node.resourceType === 'model' ? { batch: null } : {};
}

/**
 * dbt's `should_store_failures()`: `store_failures_as` table or view wins (ephemeral stores nothing), then
 * `store_failures`, then `--store-failures` for a test whose config says neither.
 */
function storesFailures(config: Record<string, unknown>, flag: boolean): boolean {
  const as = config.store_failures_as;
  if (as === 'table' || as === 'view') return true;
  if (as === 'ephemeral') return false;
  return config.store_failures === true || (flag && (config.store_failures === undefined || config.store_failures === null));
}

/** `adapter.dispatch(name, namespace)`: the `<adapter>__name` or `default__name` macro, in dbt's search order. */
function dispatcher({ options, registry }: ScopeInput, adapterType: string): (name: string, namespace?: string) => (...a: unknown[]) => unknown {
  return (name: string, namespace?: string): ((...a: unknown[]) => unknown) => {
    const found = dispatchTarget({ has: (n, p) => registry.has(n, p), packages: () => registry.packages(), projectName: options.projectName, adapterType, searchOrders: options.dispatch }, name, namespace);
    if (found) return registry.callable(found.name, found.pkg);
    throw new TemplateUserError('macro-not-found', `adapter.dispatch('${name}') found no ${adapterType}__${name} or default__${name} macro`, 'define default__' + name);
  };
}

/**
 * `run_query`, `{% call statement(name) %}` and `load_result(name)`: nothing while parsing or without a warehouse.
 * The run render is asynchronous: a warehouse call returns a Promise, which the template awaits once.
 */
function warehouseCalls(run: RunRenderContext | undefined): { runQuery: (sql: unknown) => unknown; statement: (...args: Args) => unknown; loadResult: (name: string) => unknown } {
  const execute = !!run?.warehouse;
  const runQuery = (sql: unknown): unknown => {
    if (!execute) return null;
    // dbt's run_query is statement(auto_begin=False): it opens no transaction (in a custom materialization's
    // block, a write before the block's first statement commits on its own, as on dbt's connection).
    return run!.warehouse!.query(String(sql), { autoBegin: false }).then(agateTable);
  };
  const results = new Map<string, unknown>();
  const statement = (...args: Args): unknown => {
    const { pos, kw } = splitArgs(args);
    const name = String(pos[0] ?? kw.name ?? 'main');
    const caller = kw.caller as (() => unknown) | undefined;
    if (!execute || !caller) return '';
    return Promise.resolve(caller()).then(async (sql) => {
      const table = (await runQuery(sql)) as { rows: unknown[] };
      results.set(name, { data: table.rows, table, response: { code: 'OK', rows_affected: table.rows.length } });
      return '';
    });
  };
  return { runQuery, statement, loadResult: (name: string) => results.get(name) ?? null };
}
