/**
 * The templating stage's seams. Two renders (STYLE habit 5):
 *  - parse render: `ref`/`source`/`config` record calls; no warehouse; `execute` is false.
 *  - run render: `ref`/`source` return quoted relations; `run_query`, `statement`,
 *    `adapter.get_columns_in_relation` reach the warehouse through `TemplateWarehouse`.
 */
import type { Diagnostic } from '../diagnostics/index.js';
import type { Relation, QueryResult, ColumnDef, ColumnConventions, ExecuteResult } from '../adapters/contract.js';
import type { RefCall, SourceCall, ResourceType } from '../parse/types.js';

/** A macro file to register: from the project's macro-paths, a package, or Strata's built-ins. */
export interface MacroFile {
  /** Relative path used in diagnostics: `macros/mask.sql`. */
  path: string;
  contents: string;
  /** Project or package name; built-ins use `dbt`. */
  packageName: string;
}

/** Discovered by scanning a macro file (for the manifest's `macros`). */
export interface MacroInfo {
  name: string;
  packageName: string;
  path: string;
  /** 1-based line of `{% macro`. */
  line: number;
  arguments: string[];
  /** Full text from `{% macro` to `{% endmacro %}`. */
  sql: string;
  kind: 'macro' | 'test' | 'materialization';
  /** A materialization's adapter type (`adapter='duckdb'`), or `default`. */
  adapter?: string;
}

/** What the environment is created with, once per invocation. */
export interface TemplateEnvironmentOptions {
  projectName: string;
  /** The adapter type, for `adapter.dispatch` (`duckdb__x` before `default__x`). */
  adapterType: string;
  /** Exposed as `target` (`target.name`, `target.schema`, `target.type`, `target.threads`, …). Secrets removed. */
  target: Record<string, unknown>;
  /** The root project's vars (and `--vars`): what its nodes, macros run alone and operations see. */
  vars: Record<string, unknown>;
  /** Per installed package, exactly the vars its nodes see (its own under the root's, under `--vars`), parse and run alike. */
  packageVars?: Record<string, Record<string, unknown>>;
  /** Packages the project lists but that are not installed: a call to `name.macro()` says so. */
  declaredPackages?: string[];
  env: NodeJS.ProcessEnv;
  macroFiles: MacroFile[];
  /** dbt's `api.Column` on a warehouse type (its adapter's conventions); absent: dbt's base Column. */
  columnConventions?: (adapterType: string) => ColumnConventions | undefined;
  /**
   * The macro files are known to compile (the last clean parse's graph snapshot is valid for them): each is
   * compiled on its first call instead of up front. A warm parse that renders nothing then compiles none.
   */
  deferMacroCompile?: boolean;
  /** `{% docs name %}` blocks, for `doc('name')`. */
  docs: Record<string, string>;
  /**
   * dbt's RuntimeConfig as templates reach it through `builtins.ref.config` (the Tuva project reads its
   * version so): `project_name`, `version`, and `dependencies` by package name, each with its own.
   */
  runtimeConfig?: Record<string, unknown>;
  /** The command, for `flags.WHICH` in run renders (a parse render, cached across commands, sees 'run'). */
  command?: string;
  /** The project's true/false `flags:`; the adapter's behaviour flags among them are `adapter.behavior.<name>`. */
  behaviorFlags?: Record<string, boolean>;
  /** The project's `quoting:` (`adapter.quote_as_configured`). */
  quoting?: Record<string, boolean>;
  /** `dispatch:` search orders from project config. */
  dispatch?: { macro_namespace: string; search_order: string[] }[];
  /**
   * `secret('NAME', default)`: the value comes from the environment and is handed to `onSecret`
   * (the runner sets it on each connection and scrubs it from output); the SQL gets `secretReference(NAME)`.
   */
  secretReference?: (name: string) => string;
  onSecret?: (name: string, value: string) => void;
  /** Sink for `log(msg, info=True)`. */
  log?: (message: string) => void;
  /** `invocation_id` and `run_started_at` (ms) of another engine of this invocation (a parse worker's); new ones if absent. */
  identity?: { invocationId: string; runStartedAt: number };
  /**
   * Run renders' generated code kept across commands (template-code-cache.ts): a template whose file and text
   * are unchanged is not compiled again. Parse renders never use it.
   */
  codeCache?: TemplateCodeStore;
  /**
   * The macro files' generated code kept across commands, both renders' (macro-registry.ts), in a store of its
   * own: a small file, read by every full parse, where the models' store can be megabytes.
   */
  macroCodeCache?: TemplateCodeStore;
}

/** Generated template code by file and text (template-code-cache.ts). */
export interface TemplateCodeStore {
  get(file: string, text: string): string | undefined;
  /** That code compiled: a function that returns the render function. */
  maker?(file: string, text: string): (() => unknown) | undefined;
  put(file: string, text: string, code: string): void;
}

/** The node being rendered, as the template sees it (`model.name`, `this`, `config.get`). */
export interface RenderNode {
  uniqueId: string;
  name: string;
  resourceType: ResourceType;
  packageName: string;
  /** Relative to project root, for diagnostics. */
  file: string;
  /** dbt's `original_file_path`, as templates read it (`model.original_file_path`): a package's is relative to its folder. Default: `file`. */
  originalFilePath?: string;
  fqn: string[];
  /** Config known before rendering (project.yml + schema.yml), so `config.get('x')` works. */
  config: Record<string, unknown>;
  /** Relative path of the model in its resource folder. */
  path?: string;
}

/** One file to parse-render: the node as its template sees it, and the file's text. */
export interface ParseRenderJob {
  node: RenderNode;
  source: string;
}

export interface ParseRenderResult {
  refs: RefCall[];
  sources: SourceCall[];
  /** Merged keyword arguments of every `config(...)` call in the file. */
  config: Record<string, unknown>;
  /** Names used with `doc('x')`. */
  docRefs: string[];
  /** Project/package macros called (`macro.<pkg>.<name>`). */
  macrosUsed: string[];
  /** True when dependencies were extracted without a full nunjucks render. */
  fastPath: boolean;
  diagnostics: Diagnostic[];
  /** env_var() names the render read → digest of the value (null: unset). */
  envVars?: Record<string, string | null>;
  /** var() names the render read → digest of the value (null: not set). */
  varsRead?: Record<string, string | null>;
  /** Digest of the node config the render was given (a full render may read it with `config.get`); set by the parse. */
  configDigest?: string;
  /** secret() names the render called (values are never stored). */
  secrets?: string[];
}

/** Warehouse access for the run render. Every method may be called several times with the same input. */
export interface TemplateWarehouse {
  query(sql: string, options?: StatementOptions): Promise<QueryResult>;
  getColumns(relation: Relation): Promise<ColumnDef[]>;
  /** Undefined if absent; used by `adapter.get_relation` / `load_relation`. */
  relationExists(relation: Relation): Promise<boolean>;
  /** A statement whose rows are not fetched (a materialization's `statement('main')`): the warehouse's answer. */
  execute?(sql: string, options?: StatementOptions): Promise<ExecuteResult>;
  /** dbt's `adapter.commit()`: ends the transaction a materialization block's statements opened, if one is open. */
  commit?(): Promise<void>;
}

/** What a materialization block's `statement(…)` says of one statement (a warehouse outside a block ignores it). */
export interface StatementOptions {
  /** dbt's `auto_begin`: true opens the block's transaction where none is open; false runs without opening one. */
  autoBegin?: boolean;
  /** The model hook the statement runs (`run_hooks`): which list, and its place in it (0-based). */
  hook?: { place: 'pre-hook' | 'post-hook'; index: number };
}

export interface RunRenderContext {
  /** The relation the node builds (`this`). */
  thisRelation: Relation;
  /** Renders a relation as the dialect quotes it; unless `plain`, as a ref reads it (an `--empty` or event_time filter around it). */
  renderRelation(relation: Relation, plain?: boolean): string;
  quoteIdentifier(name: string): string;
  /** Resolves a `ref()` call to a relation or returns a diagnostic message (`code`: its diagnostic code, else `ref-not-found`). */
  resolveRef(ref: RefCall): Relation | { error: string; hint?: string; code?: string };
  resolveSource(source: string, table: string): Relation | { error: string; hint?: string };
  /**
   * Ephemeral models are not relations: their refs render as `__dbt__cte__<name>` and compile/
   * inlines them. resolveRef returns `{ identifier: '__dbt__cte__x', schema: '' }` with this flag.
   */
  isEphemeral?(ref: RefCall): boolean;
  isIncremental: boolean;
  fullRefresh: boolean;
  /** A microbatch model's batch being rendered: `model.batch` (dbt 1.9: id, event_time_start, event_time_end). */
  batch?: { id: string; start: Date; end: Date };
  /** Unit tests: vars that override the project's for this render. */
  varsOverride?: Record<string, unknown>;
  /**
   * Unit tests' `overrides.macros`: a macro (`name` or `package.name`) that returns this value instead of
   * running, wherever it is called from another file or through its package (`audit_helper._x()`).
   */
  macroOverrides?: Record<string, unknown>;
  /**
   * A unit test on the embedded target runs in an in-memory database of its own: dispatch and
   * `adapter.type()` use this adapter, and secrets render as it reads them. `target` stays the real target.
   */
  adapterType?: string;
  secretReference?(name: string): string;
  /** Extra names for this render (`results` and `schemas` in on-run-end hooks). */
  extraContext?: Record<string, unknown>;
  /** dbt's `graph`: nodes and sources as in manifest.json. Absent: empty, as while parsing. */
  graph?: Record<string, unknown>;
  /** dbt's `selected_resources`: the unique ids this command selected. */
  selectedResources?: string[];
  /** `--store-failures`: tests whose config does not decide store their failing rows (`should_store_failures()`). */
  storeFailures?: boolean;
  /** Absent: `execute` is false and run_query returns none (like dbt at parse time). */
  warehouse?: TemplateWarehouse;
  /** Where this render's `log(…, info=True)` and `print()` go (a render done ahead keeps them for its node's turn); absent: the engine's `log`. */
  log?(message: string): void;
}

export interface TemplateEngine {
  /** Macros found in the registered files (for the manifest and diagnostics). */
  readonly macros: MacroInfo[];
  /** `{% materialization name, … %}` blocks of the macro files (the project's and its packages'). */
  readonly materializations?: MacroInfo[];
  /** dbt's global-project macros Strata carries (package `dbt`), which `run-operation` may call by name. */
  readonly globalMacros?: MacroInfo[];
  /** Runs a `{% materialization %}` block for a model (materialization-call.ts). */
  runMaterialization?(node: RenderNode, block: MacroInfo, context: RunRenderContext, call: MaterializationCall): Promise<MaterializationOutcome>;
  /** Problems in macro files (syntax errors, duplicate names) found at creation. */
  readonly diagnostics: Diagnostic[];
  /** Parse render: extract refs/sources/config. Fast path for files with only literal ref/source/config calls. */
  parseRender(node: RenderNode, source: string): ParseRenderResult;
  /**
   * Parse renders of many files: the same results as `parseRender` on each in turn, in the same order, with the
   * same `log()` output and `secret()` calls in the same order; full renders may run on other threads.
   */
  parseRenderMany?(jobs: ParseRenderJob[]): ParseRenderResult[];
  /** Worker threads parse renders used so far (the most at once) and how many files they rendered. */
  readonly parallelStats?: { workers: number; byWorkers: number };
  /** Run render: the final SQL. Async because run_query reaches the warehouse. Throws UserError with file:line on template errors. */
  runRender(node: RenderNode, source: string, context: RunRenderContext): Promise<string>;
  /** Calls a macro (project first, then built-ins) outside a model, e.g. `generate_schema_name(custom, node)`. Sync, no warehouse. */
  callMacro(name: string, args: unknown[], node?: RenderNode): unknown;
  hasMacro(name: string): boolean;
  /** The package whose macro `name` a template of package `fromPackage` calls (its own, the project's, another's, or `dbt`), if any. */
  macroPackage?(name: string, fromPackage: string): string | undefined;
  /** The macros a macro calls, found in its text (`adapter.dispatch` resolved for this target): its `depends_on.macros`. */
  macroCalls?(m: MacroInfo): string[];
  /** Contents of `{% docs %}` blocks by name, for `doc()`; set once docs are parsed. */
  setDocs?(docs: Record<string, string>): void;
  /** env_var() names read by `callMacro` so far → digest of the value (what a cached parse depends on). */
  readonly envRead?: Record<string, string | null>;
  /** var() names read by `callMacro` so far → digest of the value. */
  readonly varsRead?: Record<string, string | null>;
}

/** What a custom materialization is called with, besides the run context: dbt's `sql` and hooks. */
export interface MaterializationCall {
  /** The compiled model SQL (`sql`, `compiled_code`). */
  sql: string;
  preHooks: string[];
  postHooks: string[];
  /** dbt's `apply_grants(relation, grant_config, should_revoke)`, where the warehouse has grants. */
  applyGrants?(relation: Relation, type: string | null, grants: unknown, shouldRevoke: boolean): Promise<void>;
}

/** What a custom materialization did: the relations it returned and its `statement('main')` response. */
export interface MaterializationOutcome {
  relations: { relation: Relation; type: string | null }[];
  /** dbt's adapter response of `statement('main')`: `code`, `rows_affected` where the warehouse says. */
  response: Record<string, unknown>;
}
