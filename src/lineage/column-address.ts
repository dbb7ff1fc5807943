import { didYouMean } from '../diagnostics/index.js';
import type { ColumnGraph, ColumnRef } from './column-graph.js';

/** A node a column address may name. */
export interface AddressableNode {
  uniqueId: string;
  resourceType: string;
  name: string;
  /** Sources: the source's name (`landing` of `landing.customers`). */
  sourceName?: string;
}

/**
 * `fct_complaints.resolution_hours`, `landing.customers.email` (a source), or a unique id with a column
 * (`model.complaints.fct_complaints.resolution_hours`) → the column; else a message with a hint.
 */
export function resolveColumnAddress(address: string, nodes: AddressableNode[], graph: ColumnGraph): ColumnRef | { error: string; hint?: string } {
  const dot = address.lastIndexOf('.');
  if (dot <= 0 || dot === address.length - 1) return { error: `'${address}' is not <model>.<column>`, hint: 'e.g. fct_complaints.resolution_hours, or <source>.<table>.<column> for a source' };
  const prefix = address.slice(0, dot);
  const column = address.slice(dot + 1).toLowerCase();
  const matches = nodes.filter((n) => n.uniqueId === prefix || (n.resourceType === 'source' ? `${n.sourceName}.${n.name}` === prefix : n.name === prefix));
  // Versioned models: the name alone means the latest, which is the one whose id has no other match.
  const node = matches.length > 1 ? matches.find((m) => m.resourceType !== 'source') ?? matches[0] : matches[0];
  if (!node) {
    const hint = didYouMean(prefix, nodes.map((n) => (n.resourceType === 'source' ? `${n.sourceName}.${n.name}` : n.name)));
    return { error: `'${prefix}' is not a model, seed, snapshot or source of the project`, ...(hint ? { hint } : {}) };
  }
  const ref = { node: node.uniqueId, column };
  if (graph.has(ref)) return ref;
  const columns = graph.columnsOf(node.uniqueId);
  const hint = didYouMean(column, columns);
  const lineage = graph.artifact.nodes[node.uniqueId];
  const why = lineage?.reason ? ` (its lineage is ${lineage.status}: ${lineage.reason})` : !columns.length ? ' (its columns are unknown: run `strata docs generate` after a build)' : '';
  return { error: `${prefix} has no column '${column}' that lineage knows${why}`, hint: hint ?? (columns.length ? `its columns: ${columns.slice(0, 12).join(', ')}` : undefined) };
}
