import type { NodeRegistry } from './node-registry.js';
import type { Origin } from './origins.js';
import type { UsageEdge, UsageKind } from './types.js';

/** What tracing one model collects besides its output columns: problems and the columns it filters or joins on. */
export class ModelTrace {
  readonly problems = new Set<string>();
  private readonly usage = new Map<string, UsageEdge>();

  /** `parents`: the nodes the model depends on, which decide between relations of one name. */
  constructor(readonly registry: NodeRegistry, readonly parents: string[] = []) {}

  problem(message: string): void {
    this.problems.add(message);
  }

  /** Records columns used in WHERE / HAVING / QUALIFY (`filter`) or JOIN ON / USING (`join_key`). */
  use(origins: Origin[], kind: UsageKind): void {
    for (const o of origins) this.usage.set(`${o.node}\u0000${o.column}\u0000${kind}`, { node: o.node, column: o.column, kind });
  }

  filters(): UsageEdge[] {
    return [...this.usage.values()].sort((a, b) => (a.node !== b.node ? (a.node < b.node ? -1 : 1) : a.column !== b.column ? (a.column < b.column ? -1 : 1) : a.kind < b.kind ? -1 : 1));
  }
}
