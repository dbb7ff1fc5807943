export { runGraph } from './run-graph.js';
export type { RunProject, NodeOutcome, RunGraphOptions, RunGraphResult, NodeRunResult } from './types.js';
