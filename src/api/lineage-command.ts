import type { Diagnostic } from '../diagnostics/index.js';
import { ColumnGraph, resolveColumnAddress, type AddressableNode, type ColumnRef, type LineageArtifact, type LineageStep, type UsageKind } from '../lineage/index.js';
import type { ProjectGraph } from '../graph/index.js';
import { prepareProject, type PreparedProject } from './prepare.js';
import { columnNames, projectLineage, readCatalogColumns } from './project-lineage.js';
import { readWarehouseCompiled } from './lineage-reuse.js';
import type { CommonOptions, ExitCode } from './types.js';

/**
 * The project's column lineage as `target/lineage.json` has it, computed now from the compiled SQL and
 * `target/catalog.json` when there is one (and a model that reads the warehouse when compiled, from the SQL the
 * last `docs generate` compiled for it, while it is unchanged). Writes nothing, never opens the warehouse.
 */
export async function columnLineage(options: CommonOptions): Promise<{ exitCode: ExitCode; diagnostics: Diagnostic[]; lineage?: LineageArtifact }> {
  const outcome = await prepareProject({ ...options, profileOptional: true });
  if (!outcome.ok) return { exitCode: 2, diagnostics: outcome.diagnostics };
  const target = outcome.prepared.targetDir;
  const traced = await projectLineage(outcome.prepared, readCatalogColumns(target), undefined, readWarehouseCompiled(target));
  return { exitCode: 0, diagnostics: [...outcome.prepared.diagnostics, ...traced.diagnostics], lineage: traced.lineage };
}

/** The nodes a column address may name. */
export function addressableNodes(graph: ProjectGraph): AddressableNode[] {
  const nodes: AddressableNode[] = Object.values(graph.manifest.nodes)
    .filter((n) => ['model', 'seed', 'snapshot'].includes(n.resourceType))
    .map((n) => ({ uniqueId: n.uniqueId, resourceType: n.resourceType, name: n.version !== undefined && n.version !== n.latestVersion ? `${n.name}.v${n.version}` : n.name }));
  for (const s of Object.values(graph.manifest.sources)) nodes.push({ uniqueId: s.uniqueId, resourceType: 'source', name: s.name, sourceName: s.sourceName });
  return nodes;
}

/** A column graph of the project, with the catalog's columns of sources and seeds. */
export async function projectColumnGraph(p: PreparedProject): Promise<{ graph: ColumnGraph; diagnostics: Diagnostic[] }> {
  const catalog = readCatalogColumns(p.targetDir);
  const traced = await projectLineage(p, catalog, undefined, readWarehouseCompiled(p.targetDir));
  return { graph: new ColumnGraph(traced.lineage, columnNames(catalog)), diagnostics: traced.diagnostics };
}

export interface ColumnLineageOptions extends CommonOptions {
  /** `fct_complaints.resolution_hours`, `<source>.<table>.<column>`, or a unique id and a column. */
  column: string;
  /** Columns derived from it instead of the columns it derives from. */
  downstream?: boolean;
}

export interface ColumnLineageResult {
  exitCode: ExitCode;
  diagnostics: Diagnostic[];
  column?: ColumnRef;
  direction: 'upstream' | 'downstream';
  steps: LineageStep[];
  /** Downstream: the models that filter or join on the column or on a column derived from it. */
  usedBy: { node: string; via: ColumnRef; kind: UsageKind }[];
  /** Nodes on the way whose lineage is partial or untraced, with why. */
  incomplete: { node: string; status: string; reason: string }[];
}

/** `strata lineage <model>.<column> [--downstream]`: the column's lineage as a tree. */
export async function lineageOfColumn(options: ColumnLineageOptions): Promise<ColumnLineageResult> {
  const direction = options.downstream ? 'downstream' : 'upstream';
  const outcome = await prepareProject({ ...options, profileOptional: true });
  if (!outcome.ok) return { exitCode: 2, diagnostics: outcome.diagnostics, direction, steps: [], usedBy: [], incomplete: [] };
  const p = outcome.prepared;
  const { graph, diagnostics } = await projectColumnGraph(p);
  const ref = resolveColumnAddress(options.column, addressableNodes(p.graph), graph);
  if ('error' in ref) {
    const d: Diagnostic = { code: 'selector-invalid', severity: 'error', message: ref.error, file: 'strata lineage', ...(ref.hint ? { hint: ref.hint } : {}) };
    return { exitCode: 2, diagnostics: [...p.diagnostics, ...diagnostics, d], direction, steps: [], usedBy: [], incomplete: [] };
  }
  const steps = options.downstream ? graph.downstreamTree(ref) : graph.upstreamTree(ref);
  const reached = new Set<string>([ref.node]);
  const usedBy: ColumnLineageResult['usedBy'] = [];
  const visit = (list: LineageStep[]): void => {
    for (const s of list) {
      reached.add(s.node);
      if (options.downstream) for (const u of graph.usages(s)) usedBy.push({ node: u.node, via: { node: s.node, column: s.column }, kind: u.kind });
      visit(s.children);
    }
  };
  if (options.downstream) for (const u of graph.usages(ref)) usedBy.push({ node: u.node, via: ref, kind: u.kind });
  visit(steps);
  const incomplete = [...reached].flatMap((id) => {
    const l = graph.artifact.nodes[id];
    return l && l.status !== 'traced' ? [{ node: id, status: l.status, reason: l.reason ?? '' }] : [];
  });
  return { exitCode: 0, diagnostics: [...p.diagnostics, ...diagnostics], column: ref, direction, steps, usedBy, incomplete };
}
