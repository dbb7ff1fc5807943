import type { Graph } from '@dagrejs/graphlib';
import type { Manifest } from '../parse/types.js';

export interface ProjectGraph {
  manifest: Manifest;
  /** Edges parent → child. Nodes: every enabled node and source. */
  graph: Graph;
  parentMap: Record<string, string[]>;
  childMap: Record<string, string[]>;
  /** A deterministic topological order of every id (ties broken by unique id). */
  order: string[];
}
