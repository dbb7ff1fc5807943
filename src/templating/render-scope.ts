import { createHash } from 'node:crypto';
/** The names a template sees (`ref`, `source`, `config`, `this`, `var`, `adapter`, …) for one render. */
import type { Relation } from '../adapters/contract.js';
import { columnApi } from './api-column.js';
import { templateAdapter } from './template-adapter.js';
import { createRelation, relationObject } from './template-relation.js';
import { DATA_FUNCTIONS, messageFunctions } from './context-functions.js';
import type { RefCall, SourceCall } from '../parse/types.js';
import { SECRET_ENV_NAME, didYouMean } from '../diagnostics/index.js';
import type { RenderNode, RunRenderContext, TemplateEnvironmentOptions } from './types.js';
import type { MacroRegistry } from './macro-registry.js';
import { splitArgs } from './call-args.js';
import { runStartedAt } from './python-datetime.js';
import { TemplateUserError } from './signals.js';
import { hookSpelledTwice } from './fast-path.js';
import { pythonModules } from './python-modules.js';
import { agateTable } from './agate-table.js';
import { renderedVar } from './var-text.js';
import { Namespace, dbtReturn } from './jinja/index.js';
import { DBT_COMPAT_VERSION } from '../project/index.js';

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

/** A short digest of a var's value (any YAML value): enough to notice a change. */
export function varDigest(value: unknown): string | null {
  return value === undefined ? null : createHash('sha256').update(JSON.stringify(value) ?? 'undefined').digest('hex').slice(0, 16);
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

/** A short digest of an env value: enough to notice a change, without writing the value anywhere. */
export function envDigest(value: string | undefined): string | null {
  return value === undefined ? null : createHash('sha256').update(value).digest('hex').slice(0, 16);
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

const placeholder = (parts: string[]): string => parts.map((p) => `"${p}"`).join('.');

/** `modules`: stateless (the clock is read when called), so built once, not on each of thousands of renders. */
const MODULES = pythonModules(() => new Date());

export function buildScope(input: ScopeInput): Record<string, unknown> {
  const { options, registry, node, recorder, run } = input;
  const execute = !!run?.warehouse;
  const adapterType = run?.adapterType ?? options.adapterType;

  // While parsing, relations render as a placeholder (the warehouse names are not known yet) but have dbt's attributes.
  const parseRelation = (rel: Relation, shown: string[]): Record<string, unknown> => relationObject(rel, () => placeholder(shown));

  const ref = (...args: Args): unknown => {
    const { pos, kw } = splitArgs(args);
    if (pos.length < 1 || pos.length > 2) throw new TemplateUserError('ref-invalid', `ref() takes a model name, or a package and a model name; got ${pos.length} arguments`, "write ref('model_name')");
    const call: RefCall = pos.length === 2 ? { package: String(pos[0]), name: String(pos[1]) } : { name: String(pos[0]) };
    const version = kw.v ?? kw.version;
    if (version !== undefined) call.version = version as string | number;
    if (recorder) {
      recorder.refs.push(call);
      return parseRelation({ schema: String(node.config.schema ?? 'schema'), identifier: call.name }, [call.name]);
    }
    const resolved = run!.resolveRef(call);
    if ('error' in resolved) throw new TemplateUserError(resolved.code ?? 'ref-not-found', resolved.error, resolved.hint);
    return relationObject(resolved, run!.renderRelation, run!.quoteIdentifier);
  };

  const source = (...args: Args): unknown => {
    const { pos } = splitArgs(args);
    if (pos.length !== 2) throw new TemplateUserError('source-invalid', `source() takes a source name and a table name; got ${pos.length} argument${pos.length === 1 ? '' : 's'}`, "write source('source_name', 'table_name')");
    const call: SourceCall = { source: String(pos[0]), table: String(pos[1]) };
    if (recorder) {
      recorder.sources.push(call);
      return parseRelation({ schema: call.source, identifier: call.table }, [call.source, call.table]);
    }
    const resolved = run!.resolveSource(call.source, call.table);
    if ('error' in resolved) throw new TemplateUserError('source-not-found', resolved.error, resolved.hint);
    return relationObject(resolved, run!.renderRelation, run!.quoteIdentifier);
  };

  const configFn = Object.assign(
    (...args: Args): string => {
      const { pos, kw } = splitArgs(args);
      const call = { ...((pos[0] as Record<string, unknown>) ?? {}), ...kw };
      // As dbt's ConflictingConfigKeysError: one config() call giving a hook under both spellings.
      if (hookSpelledTwice(call)) {
        const which = 'pre_hook' in call && 'pre-hook' in call ? 'pre' : 'post';
        throw new TemplateUserError('config-invalid', `config() gives both ${which}_hook and ${which}-hook: they are the same config`, `keep one of ${which}_hook and ${which}-hook`);
      }
      if (recorder) Object.assign(recorder.config, call);
      return '';
    },
    {
      get: (key: string, def?: unknown) => {
        // As dbt's ParseConfigObject: while parsing, config.get() answers '' (the final config is not known
        // yet). dbt-unit-testing relies on it: its ref() override takes the builtin ref while parsing.
        if (recorder) return '';
        const v = node.config[key];
        return v === undefined ? (def ?? null) : v;
      },
      require: (key: string) => {
        // As dbt: while parsing, config.require() checks nothing and answers '' (the final config is not known yet).
        if (recorder) return '';
        const v = node.config[key];
        if (v === undefined) throw new TemplateUserError('config-missing', `config '${key}' is required by ${node.name}`, `add {{ config(${key}=…) }}`);
        return v;
      },
      // As dbt's parse: config.set() records the value (set_sql_header's sql_header); at run time it changes nothing.
      set: (key: string, value: unknown) => {
        if (recorder) recorder.config[key] = value;
        return '';
      },
    },
  );

  // A package's node sees exactly its package's vars, at parse time as in the final render (dbt scopes both).
  // Its reads are not recorded: those vars are part of the project config, whose change voids the parse caches anyway.
  const packageScope = options.packageVars?.[node.packageName];
  const vars = packageScope ?? options.vars;
  const record = (name: string): void => {
    if (recorder && !packageScope) (recorder.vars ??= {})[name] = varDigest(vars[name]);
  };
  const varFn = Object.assign(
    (name: string, ...rest: Args): unknown => {
      const { pos } = splitArgs(rest);
      if (run?.varsOverride && name in run.varsOverride) return renderedVar(run.varsOverride[name], scope);
      record(name);
      if (name in vars) return renderedVar(vars[name], scope);
      if (pos.length) return pos[0];
      throw new TemplateUserError('var-not-found', `var('${name}') is not defined`, `add it under vars: in the project file, pass --vars '{${name}: …}', or give a default: var('${name}', …)`);
    },
    {
      has: (name: string) => {
        if (run?.varsOverride && name in run.varsOverride) return true;
        record(name);
        return name in vars;
      },
    },
  );

  const envVar = (name: string, ...rest: Args): unknown => {
    // A parse render records the read and the parse reports it at its line (parse/secret-env-check.ts); any
    // other render would put the value into SQL that runs: refused, as dbt refuses it outside profiles and packages.
    if (!recorder && SECRET_ENV_NAME.test(name)) {
      throw new TemplateUserError('env-secret-in-sql', `env_var('${name}') would write a secret into SQL: secret env vars (DBT_ENV_SECRET_*, STRATA_ENV_SECRET_*) are allowed only in profiles.yml or packages.yml`, `use {{ secret('${name}') }}: the warehouse session gets the value and the SQL only a reference to it`);
    }
    const { pos } = splitArgs(rest);
    const v = options.env[name];
    if (recorder) (recorder.env ??= {})[name] = envDigest(v);
    if (v !== undefined) return v;
    if (pos.length) return pos[0];
    throw new TemplateUserError('env-var-not-found', `env_var('${name}') is not set and has no default`, `export ${name}=… or write env_var('${name}', 'default')`);
  };

  const secret = (name: string, ...rest: Args): string => {
    const { pos } = splitArgs(rest);
    const value = options.env[name] ?? (pos.length ? String(pos[0]) : undefined);
    if (value === undefined) throw new TemplateUserError('env-var-not-found', `secret('${name}') is not set in the environment and has no default`, `export ${name}=…`);
    options.onSecret?.(name, value);
    if (recorder && !recorder.secrets?.includes(name)) (recorder.secrets ??= []).push(name);
    const reference = run?.secretReference ?? options.secretReference;
    return reference ? reference(name) : `getvariable('${name}')`;
  };

  const dispatch = (name: string, namespace?: string): ((...a: unknown[]) => unknown) => {
    const order = options.dispatch?.find((d) => d.macro_namespace === namespace)?.search_order ?? [];
    const packages = [...order, options.projectName, ...(namespace ? [namespace] : []), ...registry.packages()];
    for (const prefix of [adapterType, 'default']) {
      for (const pkg of packages) if (registry.has(`${prefix}__${name}`, pkg)) return registry.callable(`${prefix}__${name}`, pkg);
    }
    throw new TemplateUserError('macro-not-found', `adapter.dispatch('${name}') found no ${adapterType}__${name} or default__${name} macro`, 'define default__' + name);
  };

  const thisRel = run ? relationObject(run.thisRelation, run.renderRelation, run.quoteIdentifier) : parseRelation({ schema: String(node.config.schema ?? 'schema'), identifier: node.name }, [String(node.config.schema ?? 'schema'), node.name]);

  // The run render is asynchronous: a warehouse call returns a Promise, which the template awaits once.
  const runQuery = (sql: unknown): unknown => {
    if (!execute) return null;
    return run!.warehouse!.query(String(sql)).then(agateTable);
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

  const adapter = templateAdapter(adapterType, dispatch, run, options.behaviorFlags ?? {}, options.target);

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
    api: { Column: columnApi(options.columnConventions?.(adapterType)), Relation: { create: (...a: Args) => createRelation(splitArgs(a).kw, run ? run.renderRelation : (r) => placeholder([r.schema, r.identifier])) } },
    run_query: runQuery,
    statement,
    load_result: (name: string) => results.get(name) ?? null,
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
