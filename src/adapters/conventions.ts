/** What `strata clone` knows of the state it clones from, as plain data (the api reads the files). */
export interface StateSourcesInput {
  /** The state's manifest.json: diagnostics point at it. */
  stateManifestPath: string;
  /** The target that built the state (`args.target` of the run_results.json beside it), when known. */
  stateTarget?: string;
  /** The `database` of each state relation that names one. */
  stateDatabases: string[];
  /** This target's name, the profile's name and every output of the profile, resolved. */
  targetName: string;
  profileName: string;
  profileOutputs: { name: string; target: TargetConfig }[];
  projectRoot: string;
}

/** How the state's relations are named from this target's connection, and what to undo afterwards. */
export interface StateSources {
  /** The state relation as this connection reads it (its database qualified where it is elsewhere). */
  locate(relation: Relation): Relation;
  diagnostics: Diagnostic[];
  /** Undoes what was done to read the state (detaches what was attached). */
  release(connection: Connection): Promise<void>;
}

/**
 * What Strata knows of a warehouse without loading its driver (its conventions), and the commands it adds
 * to the CLI. Each warehouse folder exports one `AdapterConventions`; the registry lists them.
 */
import type { TargetConfig } from '../project/types.js';
import type { Diagnostic } from '../diagnostics/index.js';
import type { Connection, Relation } from './contract.js';

/** A file of macros an adapter contributes to package `dbt` (its `<type>__<name>` cross-database macros). */
export interface AdapterMacroFile {
  path: string;
  contents: string;
}

/** dbt's `api.Column` on a warehouse: its labels for generic types, its string type, how it quotes a column. */
export interface ColumnConventions {
  /** `translate_type`: an upper-cased generic label → this warehouse's. */
  labels: Record<string, string>;
  stringType(size: number): string;
  quote(name: string): string;
  /** `numeric_type(dtype, precision, scale)`; absent: dbt's base `dtype(precision,scale)`. */
  numericType?(dtype: string, precision: unknown, scale: unknown): string;
  /** A Column's `literal(value)`; absent: dbt's base `value::data_type`. */
  literal?(value: string, dtype: string): string;
}

/** Files and lines `strata init` writes for a new project on this warehouse. */
export interface ProjectScaffold {
  /** The `dev` output of profiles.yml, as YAML lines indented under `outputs:`. */
  profileOutput(projectName: string): string;
  /** Lines of .gitignore for the files the warehouse writes in the project. */
  gitignore: string[];
}

/** One option of an adapter's command: commander's flags syntax (`--port <port>`). */
export interface AdapterCommandOption {
  flags: string;
  description: string;
  default?: string | number;
  /** The value is a TCP port (0–65535). */
  port?: boolean;
}

/** What an adapter's command is given to talk to the user and to know when to stop. */
export interface CommandIo {
  say(message: string): void;
  report(diagnostics: Diagnostic[]): void;
  /** Resolves when the user interrupts (Ctrl+C, SIGTERM): a server stops then. */
  stopped: Promise<void>;
}

/** A command an adapter adds to the CLI (`strata <name>`), as data: cli/ builds it, the adapter runs it. */
export interface AdapterCommand {
  name: string;
  description: string;
  options: AdapterCommandOption[];
  /** Flags by commander's camel-cased names; resolves with the exit code. Loads what it needs on call. */
  run(flags: Record<string, unknown>, io: CommandIo): Promise<number>;
}

/**
 * What Strata knows of a warehouse without loading its driver: plain data and pure functions, imported
 * eagerly by the registry (the `Adapter`, with its connection, loads only when a target opens). Each
 * optional member is a capability; callers branch on its presence, never on the adapter's name.
 */
export interface AdapterConventions {
  readonly type: string;
  /** The warehouse's name as users write it (help texts). */
  readonly displayName: string;
  /** Cross-database macros dispatched to on this warehouse. */
  readonly macroFiles: AdapterMacroFile[];
  /** Where dbt's adapter package (`dbt_<type>`) defines its macros, by file: manifest.json names them so. */
  readonly dbtMacroFiles?: Record<string, string[]>;
  /** dbt's api.Column here; absent: dbt's base Column. */
  readonly column?: ColumnConventions;
  /** profiles.yml: an output's schema and database, with the warehouse's aliases and defaults. */
  targetNames(settings: Record<string, unknown>): { schema: string; database?: string };
  /** The `target.database` templates see when the profile sets none. */
  templateDatabase?(settings: Record<string, unknown>): string | undefined;
  /**
   * Embedded in this process: it runs in memory, so its own unit tests run on it, and a project
   * with no profile builds on it (`zeroSetupTarget`) — `npm install && strata build` needs nothing else.
   */
  readonly embedded?: { memoryTarget: TargetConfig; zeroSetupTarget(profileName: string): TargetConfig; scaffold: ProjectScaffold };
  /** A file in the project folder holds the database (`strata clean` keeps it): its absolute path. */
  databaseFile?(settings: Record<string, unknown>, projectRoot: string): string | undefined;
  /**
   * The folder sources landed with `land_as: parquet` keep their files in (absolute), where the warehouse
   * writes Parquet beside its database file; undefined in memory. `strata clean` keeps it, as the database.
   */
  bronzeFolder?(settings: Record<string, unknown>, projectRoot: string): string | undefined;
  /**
   * Environment variables the warehouse's library reads when it loads, and the values a `strata` process gives
   * them unless the user set them (even to nothing): options that make a short command faster.
   */
  processEnvironment?(cpus: number): Record<string, string>;
  /** One writer at a time (a database file): Airflow runs one task at a time by default. */
  readonly singleWriter?: boolean;
  /** The URI Airflow knows a relation by (its Dataset / Asset). */
  relationUri?(relation: Relation, target: { database?: string; settings: Record<string, unknown> }, workerProjectDir: string): string;
  /** Column lineage: the SQL parser's grammar for this warehouse, and whether it renames a repeated output column (`x_1`) instead of refusing it. */
  readonly lineage?: { grammar: string; renamesRepeatedColumns: boolean };
  /**
   * `strata clone`: makes the state's relations readable from this target's open connection (another
   * database file attached…). Absent: the state's relations are named in full and readable as they are.
   */
  stateSources?(input: StateSourcesInput, connection: Connection): Promise<StateSources>;
  /**
   * `--defer`: problems reading the deferred state relations (`input.stateDatabases`: theirs) from this target's
   * connection, with the fix. Absent: they are named in full and readable as they are.
   */
  deferReadable?(input: StateSourcesInput, connection: Connection): Promise<Diagnostic[]>;
  /** Built-in materializations of this warehouse only, beyond dbt's (dbt-duckdb's `external`). */
  readonly materializations?: readonly string[];
  /** Sources may be read in place through their `external_location` setting (dbt-duckdb's), not a table. */
  readonly readsExternalLocation?: boolean;
  /** Database, schema and table names are one whatever their case (DuckDB's): `Orders` and `orders` are one relation. */
  readonly foldsNameCase?: boolean;
  /** Commands this warehouse adds to the CLI (a local emulator…). */
  readonly commands?: AdapterCommand[];
}
