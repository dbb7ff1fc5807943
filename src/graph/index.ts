export { buildGraph, topologicalOrder, assembleGraph } from './build-graph.js';
export { readGraphSnapshot, writeGraphSnapshot, type SnapshotInputs, type SnapshotCheck, type PatchCandidate, type LoadedSnapshot } from './graph-snapshot.js';
export type { ProjectGraph } from './types.js';
export { mapsWithExposures } from './exposure-edges.js';
