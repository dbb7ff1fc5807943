export { runGraph } from './run-graph.js';
export type { NodeOutcome, RunGraphOptions, RunGraphResult, NodeRunResult } from './types.js';
