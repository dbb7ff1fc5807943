import type { Later } from './later.js';
import type { NodeStatus, Reporter, SecretScrubber } from '../diagnostics/index.js';
import type { Adapter } from '../adapters/contract.js';
import type { ProjectGraph } from '../graph/index.js';
import type { LoadedProject } from '../project/types.js';
import type { TemplateEngine } from '../templating/types.js';

/** What execution reads of a prepared project: api/'s `PreparedProject` is one (it adds the parse's diagnostics and figures). */
export interface RunProject {
  project: LoadedProject;
  adapter: Adapter;
  engine: TemplateEngine;
  graph: ProjectGraph;
  scrubber: SecretScrubber;
  reporter: Reporter;
  invocationId: string;
  targetDir: string;
  /** Values of `secret('NAME')` calls, set on each connection as session variables, never written into SQL. */
  sessionSecrets: Map<string, string>;
  /** The environment `env_var()` reads (the process's unless a caller passed one). */
  env: NodeJS.ProcessEnv;
}

export interface NodeOutcome {
  status: NodeStatus;
  message: string;
  rowsAffected?: number;
  adapterResponse?: Record<string, unknown>;
  failures?: number | null;
  /** Rendered relation, for output lines and run_results. */
  relation?: string;
  materialized?: string;
  /** A non-error status that still stops descendants (an error-severity test failure). */
  blocksDownstream?: boolean;
  /** A microbatch model's batches by outcome (run_results' `batch_results`, as dbt 1.9 writes it). */
  batchResults?: { successful: [string, string][]; failed: [string, string][] };
  /** An error after the node's change was committed (an after-commit hook failed): what the change was. */
  committed?: Pick<NodeOutcome, 'message' | 'rowsAffected' | 'adapterResponse' | 'relation' | 'materialized'>;
  /** Its change committed, then Ctrl-C cancelled its after-commit hooks (a success, with a warning). */
  hooksCancelled?: boolean;
  /** run_results.json's `message` where dbt's differs from the one shown (null for a node skipped because a parent failed). */
  resultMessage?: string | null;
}

export interface RunGraphOptions {
  /** Selected ids in topological order. */
  ids: string[];
  /** Direct parents the node must wait for. */
  parents: (id: string) => string[];
  threads: number;
  failFast: boolean;
  runNode: (id: string, worker: number) => Promise<NodeOutcome>;
  describe: (id: string) => string;
  /** Node name and type for output lines. */
  label?: (id: string) => { name: string; resourceType: string; schema?: string };
  reporter: Reporter;
  signal?: AbortSignal;
  /** Told, while every thread is busy, the next nodes ready to run: work that can be done for them ahead of their turn. */
  ahead?: (ids: string[]) => void;
  /** Where the scheduler queues its events, so the warehouse gets its next statement first (one of its own if not given). */
  later?: Later;
  /**
   * dbt's ephemeral models: run in their turn (their render can fail) but neither counted, told nor recorded, as in
   * dbt's run_results.json; a failure skips what reads them, each skip naming the ephemeral model and its error.
   */
  ephemeral?: (id: string) => boolean;
  /** The last run's time of each node it ran (seconds): of the ready nodes, the one with the longest chain of work behind it starts first. */
  lastTimes?: Map<string, number>;
}

export interface NodeRunResult extends NodeOutcome {
  uniqueId: string;
  startedAt: string;
  completedAt: string;
  executionTime: number;
  threadId: string;
}

export interface RunGraphResult {
  results: NodeRunResult[];
  elapsed: number;
  interrupted: boolean;
}
