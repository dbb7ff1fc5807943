export { buildGraph, topologicalOrder, assembleGraph } from './build-graph.js';
export { readGraphSnapshot, writeGraphSnapshot, type SnapshotInputs } from './graph-snapshot.js';
export type { ProjectGraph } from './types.js';
