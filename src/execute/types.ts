import type { NodeStatus, Reporter } from '../diagnostics/index.js';

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
  label?: (id: string) => { name: string; resourceType: string };
  reporter: Reporter;
  signal?: AbortSignal;
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
