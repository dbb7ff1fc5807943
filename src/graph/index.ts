export { buildGraph, topologicalOrder } from './build-graph.js';
export type { ProjectGraph } from './types.js';
