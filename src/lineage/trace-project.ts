import { NodeRegistry } from './node-registry.js';
import type { Shape } from './origins.js';
import { loadSqlParser } from './sql-parser.js';
import { openProblem, settle, traceModel } from './trace-model.js';
import type { LineageArtifact, LineageInput, NodeLineage } from './types.js';

/**
 * When a model selects * over a relation whose columns are unknown but the warehouse knows the model's own
 * columns, each is looked up through the star, which completes the list. Returns the columns still missing.
 */
function closeWithCatalog(registry: NodeRegistry, id: string, shape: Shape): string[] | undefined {
  const catalogColumns = registry.relation(id)?.columns;
  if (!shape.open || !catalogColumns) return undefined;
  const own = registry.shapeOf(id);
  return catalogColumns.filter((name) => !shape.columns.some((c) => c.name === name) && !own.open?.(name));
}

/**
 * Column-level lineage of a project: each model and snapshot traced from its compiled SQL, parents first, so a
 * `select *` over a model expands to that model's traced columns. Sources and seeds are upstream nodes only.
 */
export async function traceProject(input: LineageInput): Promise<LineageArtifact> {
  await loadSqlParser();
  const registry = new NodeRegistry(input.relations, input.ephemerals);
  const nodes: Record<string, NodeLineage> = {};
  for (const node of input.nodes) {
    const { lineage, problems, shape } = traceModel(node, registry, input.dialect, input.renamesRepeatedColumns === true);
    nodes[node.uniqueId] = lineage;
    if (!shape) continue;
    registry.record(node.uniqueId, shape, lineage);
    const missing = closeWithCatalog(registry, node.uniqueId, shape);
    if (missing && !missing.length) {
      registry.record(node.uniqueId, { columns: Object.keys(lineage.columns).map((name) => ({ name, origins: [] })) }, lineage);
    } else if (shape.open) {
      problems.push(openProblem(shape));
      if (missing?.length) problems.push(`the catalog's columns ${missing.join(', ')} are not traced`);
    }
    settle(lineage, problems, shape.open !== undefined && !(missing && !missing.length));
  }
  return {
    metadata: { lineage_version: 1, generated_at: new Date().toISOString(), adapter_type: input.adapterType, invocation_id: input.invocationId },
    nodes,
  };
}
