/** What the `project/` stage produces: a project's configuration, its profile target and its files. */

/** A folder-config tree as written under `models:` in project.yml (`+materialized`, nested folders). */
export type FolderConfigTree = Record<string, unknown>;

export interface ProjectConfig {
  name: string;
  version?: string;
  /** The profile used: `--profile` (or DBT_PROFILE) if given, else the project file's `profile:`, else the project's name. */
  profile: string;
  /** Absolute path of the project root. */
  rootDir: string;
  /** An installed package parsed as a project of its own (parse/package-project.ts): its folder from rootDir (`dbt_packages/x`). */
  packageDir?: string;
  /** `project.yml` or `dbt_project.yml`, relative to rootDir. */
  configFile: string;
  modelPaths: string[];
  seedPaths: string[];
  macroPaths: string[];
  testPaths: string[];
  snapshotPaths: string[];
  analysisPaths: string[];
  docsPaths: string[];
  /** `asset-paths`: folders `docs generate` copies into the target folder, for the docs to link (images). */
  assetPaths?: string[];
  /** Relative to rootDir; default `target`. */
  targetPath: string;
  cleanTargets: string[];
  /** Project-level vars (already merged with `--vars`, which win). */
  vars: Record<string, unknown>;
  /** Raw `models:`, `seeds:`, `data_tests:` (and `tests:`), `sources:`, `snapshots:` trees. */
  models: FolderConfigTree;
  seeds: FolderConfigTree;
  dataTests: FolderConfigTree;
  sources: FolderConfigTree;
  snapshots: FolderConfigTree;
  /** Names of the packages `packages.yml` lists. */
  declaredPackages: string[];
  /** Where `strata deps` installs packages (`packages-install-path`, default `dbt_packages`). */
  packagesInstallPath: string;
  /** The packages installed there; their macros are loaded and their resources join the graph. */
  installedPackages: import('./installed-packages.js').InstalledPackage[];
  /** Per installed package, the vars its nodes see (its own under the root project's, under `--vars`). */
  packageVars: Record<string, Record<string, unknown>>;
  /** `selectors.yml` at the project root: named selectors (`--selector`, `selector:`). */
  selectors: import('./selectors-file.js').SelectorDefinition[];
  /** `exposures:` (only `+enabled`, `+tags`, `+meta` apply, as in dbt). */
  exposures: FolderConfigTree;
  /** `on-run-start` / `on-run-end` hooks. */
  onRunStart: string[];
  onRunEnd: string[];
  /** `dispatch:` search orders for adapter.dispatch. */
  dispatch: { macro_namespace: string; search_order: string[] }[];
  /** `flags:` that are true or false (behaviour-change flags): templates read the adapter's as `adapter.behavior.<name>`. */
  behaviorFlags?: Record<string, boolean>;
  /** `quoting:` */
  quoting: Record<string, boolean>;
  /** `query-comment:` (absent: dbt's default comment, before each statement). */
  queryComment?: import('./query-comment-config.js').QueryCommentConfig;
  /** `restrict-access: true`: only this project's public models may be referenced from other packages (dbt's model access). */
  restrictAccess?: boolean;
  /** `airflow:` defaults for `strata airflow dag|task-group`, as written; `valid` is false when it is not a mapping. */
  airflow?: { settings: Record<string, unknown>; line: number; lines: Record<string, number>; valid: boolean };
}

/** One output of profiles.yml, as selected by `--target`. Extra keys are adapter specific. */
export interface TargetConfig {
  type: string;
  /** Name of the output in profiles.yml (`dev`, `prod`). */
  name: string;
  schema: string;
  database?: string;
  threads: number;
  /** Everything as written (env_var already rendered). Secrets are kept here; scrub before printing. */
  settings: Record<string, unknown>;
}

/** `fixture`: a unit test's CSV rows in a `fixtures/` folder of the test paths (`fixture: <name>`). */
export type ProjectFileKind = 'model' | 'seed' | 'macro' | 'test' | 'snapshot' | 'analysis' | 'schema' | 'doc' | 'fixture';

export interface ProjectFile {
  kind: ProjectFileKind;
  /** Relative to the project root, forward slashes: `models/silver/complaints.sql`. */
  path: string;
  /** Relative to the resource path it was found in: `silver/complaints.sql`. */
  pathInResource: string;
  /** The resource path it was found in: `models`. */
  resourcePath: string;
  absPath: string;
  contents: string;
  /** sha256 of contents, hex. */
  checksum: string;
  /** A file of an installed package: its package's name (else the project's). */
  packageName?: string;
  /** Size and modification time as seen when the file was read or checked, if the file source knows them. */
  stamp?: FileStamp;
}

/** What `stat` says of a file: enough to tell, without reading it, that it has not changed. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
}

/** Reads files: the local disk, or an in-memory map in tests. */
export interface FileSource {
  exists(absPath: string): boolean;
  read(absPath: string): string;
  /** Files under a folder, recursively, absolute paths, sorted. */
  list(absDir: string): string[];
  stat?(absPath: string): FileStamp | undefined;
  /** The text and the stamp taken just before reading it. */
  readStamped?(absPath: string): { text: string; stamp: FileStamp };
}

export interface LoadedProject {
  config: ProjectConfig;
  target: TargetConfig;
  /** `target` as templates see it (project/target-view.ts): YAML values rendered at parse time read it. */
  targetView?: Record<string, unknown>;
  /** Where profiles.yml was found (for `debug`). */
  profilesFile?: string;
  files: ProjectFile[];
  /** Values that must never be printed (passwords, peppers from env_var, keyfile contents). */
  secrets: string[];
}

export interface LoadOptions {
  projectDir?: string;
  profilesDir?: string;
  target?: string;
  /** YAML or JSON string, or an object. */
  vars?: string | Record<string, unknown>;
  /** Overrides `threads` from the profile. */
  threads?: number;
  env?: NodeJS.ProcessEnv;
  fileSource?: FileSource;
  /** `--profile`: the profile to use instead of the project file's `profile:`. */
  profile?: string;
  /** `--target-path`: where artifacts and caches go, over $STRATA_TARGET_PATH, $DBT_TARGET_PATH and the project file. */
  targetPath?: string;
  /** Skip reading profiles.yml (e.g. `ls`, `compile` without warehouse); the zero-setup target is used if absent. */
  profileOptional?: boolean;
  /** The warehouses' profile rules: given by the adapters' registry, as project/ imports no adapter. */
  targetRules: TargetRules;
}

/** How profiles.yml outputs read on each warehouse. */
export interface TargetRules {
  /** The warehouse types there are adapters for (hints name them). */
  types: string[];
  /** The target of a project with no profiles.yml: the embedded warehouse, on a file in the project folder. */
  zeroSetupTarget(profileName: string): TargetConfig;
  /** An output's schema and database, with its warehouse's aliases and defaults. */
  targetNames(type: string, settings: Record<string, unknown>): { schema: string; database?: string };
  /** The database `target.database` shows when the output names none (DuckDB: the file's name). */
  templateDatabase?(type: string, settings: Record<string, unknown>): string | undefined;
}
