/** What the `airflow/` stage produces: the settings of a generated DAG and the tasks it holds. */

export type TestBehavior = 'after_each' | 'after_all' | 'none' | 'build';
export type Execution = 'local' | 'docker' | 'kubernetes';
export type GroupBy = 'layer' | 'folder' | 'none';

/** A schedule as Python will spell it: a cron or preset string, a timedelta in seconds, or none (manual runs only). */
export type Schedule = { kind: 'cron'; value: string } | { kind: 'every'; seconds: number } | { kind: 'none' };

/** Every option of `strata airflow dag|task-group`, resolved (flags over the project file's `airflow:` block over defaults). */
export interface AirflowSettings {
  dagId: string;
  schedule: Schedule;
  /** `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS]`, UTC. */
  startDate: string;
  catchup: boolean;
  retries: number;
  retryDelaySeconds: number;
  maxActiveRuns: number;
  /** Undefined: Airflow's default, except 1 for DuckDB (one writer per database file). */
  maxActiveTasks?: number;
  tags: string[];
  select?: string[];
  exclude?: string[];
  selector?: string;
  /** As on the worker. */
  target?: string;
  projectDir: string;
  profilesDir?: string;
  groupBy: GroupBy;
  testBehavior: TestBehavior;
  execution: Execution;
  image?: string;
  /** Kubernetes namespace of the pods. */
  namespace?: string;
  /** How the worker starts Strata (`strata`, `npx strata`, `node /app/bin/strata.js`). */
  strataCommand: string;
  /** Each task writes its artifacts to `<runsDir>/<dag id>/<run id>/<task id>`. */
  runsDir: string;
  /** A first `strata_parse` task that warms the parse cache every task starts from. */
  parseTask: boolean;
  /** Where tasks copy a warm parse cache from, when there is no parse task (`strata parse` in the image build). */
  parseCache: string;
  /** Airflow pool of every task. */
  pool?: string;
  /** `--vars` of the generating command, passed to every task with Airflow's ds and data interval. */
  vars: Record<string, unknown>;
}

export type TaskKind = 'landing' | 'seed' | 'snapshot' | 'model' | 'test' | 'parse' | 'build';

/** One Airflow task. */
export interface PlannedTask {
  taskId: string;
  kind: TaskKind;
  /** The node it builds (a test task: the test); none for whole-selection tasks. */
  uniqueId?: string;
  /** TaskGroup path, outermost first; empty at the DAG's top level. */
  group: string[];
  /** Strata's arguments after the command name, without the per-run flags (--target-path, --vars, …). */
  args: string[];
  /** Relation URIs the task declares as outlets (Airflow Datasets / Assets). */
  outlets: string[];
  /** Task ids it runs after. */
  upstream: string[];
}

export interface AirflowPlan {
  projectName: string;
  adapterType: string;
  tasks: PlannedTask[];
}
