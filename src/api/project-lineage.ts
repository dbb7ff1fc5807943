import { conventionsOf } from '../adapters/registry.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Diagnostic } from '../diagnostics/index.js';
import { RelationIndex } from '../compile/index.js';
import { traceProject, type KnownRelation, type LineageArtifact, type LineageDialect, type TraceableNode } from '../lineage/index.js';
import type { ManifestNode } from '../parse/types.js';
import { runCompiler } from '../execute/run-context.js';
import type { PreparedProject } from './prepare.js';
import { WarehouseState } from '../execute/warehouse-state.js';

/** unique id → column names in the warehouse's order, lower-cased. */
export type CatalogColumns = Map<string, string[]>;

/** `target/catalog.json` → each node's and source's columns; empty when there is none. */
export function readCatalogColumns(targetDir: string): CatalogColumns {
  const file = join(targetDir, 'catalog.json');
  const out: CatalogColumns = new Map();
  if (!existsSync(file)) return out;
  try {
    const catalog = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, { columns?: Record<string, { name: string; index: number }> }>>;
    for (const group of [catalog.nodes ?? {}, catalog.sources ?? {}]) {
      for (const [id, entry] of Object.entries(group)) {
        const cols = Object.values(entry.columns ?? {}).sort((a, b) => a.index - b.index);
        out.set(id, cols.map((c) => c.name.toLowerCase()));
      }
    }
  } catch {
    // An unreadable catalog is treated as absent: lineage then says which columns are unknown.
  }
  return out;
}

/** A seed's columns when the catalog has none: its CSV header. */
function seedHeader(node: ManifestNode): string[] | undefined {
  if (!node.seedFile || !existsSync(node.seedFile)) return undefined;
  const rows = parseCsv(readFileSync(node.seedFile, 'utf8'), { to_line: 1, bom: true }) as string[][];
  return rows[0]?.map((c) => c.trim().toLowerCase());
}


/** A snapshot's dbt_ columns and the columns of its query they are computed from. */
function snapshotColumns(node: ManifestNode): Record<string, string[]> {
  const c = node.config as Record<string, unknown>;
  const keys = [c.unique_key].flat().filter((k): k is string => typeof k === 'string').map((k) => k.toLowerCase());
  const updated = c.strategy === 'timestamp' && typeof c.updated_at === 'string' ? [c.updated_at.toLowerCase()] : [];
  const extra: Record<string, string[]> = { dbt_scd_id: [...keys, ...updated], dbt_updated_at: updated, dbt_valid_from: updated, dbt_valid_to: updated };
  if (c.hard_deletes === 'new_record') extra.dbt_is_deleted = [];
  return extra;
}

/**
 * The project's column lineage: every model and snapshot compiled as a full build would (`is_incremental()`
 * false, no warehouse: `run_query` returns none), then traced parents first. Columns of sources and seeds come
 * from `catalog` (target/catalog.json, or what `docs generate` just read), seeds' from their CSV header
 * otherwise. A model that does not compile is untraced, with the compiler's message.
 */
export async function projectLineage(p: PreparedProject, catalog: CatalogColumns): Promise<{ lineage: LineageArtifact; diagnostics: Diagnostic[] }> {
  const manifest = p.graph.manifest;
  const index = new RelationIndex(manifest);
  const relations: KnownRelation[] = [];
  const ephemerals: Record<string, string> = {};
  const traced: ManifestNode[] = [];
  for (const id of p.graph.order) {
    const node = manifest.nodes[id];
    if (!node || !['model', 'seed', 'snapshot'].includes(node.resourceType)) continue;
    if (node.resourceType !== 'seed') traced.push(node);
    if (node.config.materialized === 'ephemeral') {
      ephemerals[node.name] = id;
      continue;
    }
    const columns = catalog.get(id) ?? (node.resourceType === 'seed' ? seedHeader(node) : undefined);
    relations.push({ uniqueId: id, resourceType: node.resourceType, ...index.relationOf(node), ...(columns ? { columns } : {}) });
  }
  for (const s of Object.values(manifest.sources)) {
    const columns = catalog.get(s.uniqueId);
    relations.push({ uniqueId: s.uniqueId, resourceType: 'source', ...index.relationOf(s), ...(columns ? { columns } : {}) });
  }
  // Compiled as on a first build, without touching the warehouse or target/compiled; the manifest keeps its compiled code.
  const saved = traced.map((n) => [n, n.compiledCode, n.compiledPath] as const);
  const compiler = runCompiler(p, { relations: index, state: new WarehouseState(), selected: traced.map((n) => n.uniqueId) });
  const compiled = await compiler.compileAll(traced.map((n) => n.uniqueId));
  for (const [n, code, path] of saved) Object.assign(n, { compiledCode: code, compiledPath: path });
  const nodes: TraceableNode[] = [];
  for (const n of traced) {
    const sql = compiled.compiled.get(n.uniqueId);
    nodes.push({ uniqueId: n.uniqueId, sql: sql ?? '', parents: n.dependsOn.nodes, ...(n.resourceType === 'snapshot' ? { extraColumns: snapshotColumns(n) } : {}) });
  }
  const lineage = await traceProject({ dialect: (conventionsOf(p.adapter.type)?.lineageDialect ?? 'generic') as LineageDialect, adapterType: p.adapter.type, invocationId: p.invocationId, relations, nodes, ephemerals });
  for (const n of traced) {
    if (compiled.compiled.has(n.uniqueId)) continue;
    const problem = compiled.diagnostics.find((d) => d.file === n.originalFilePath);
    lineage.nodes[n.uniqueId] = { status: 'untraced', reason: `it does not compile${problem ? `: ${problem.message}` : ''}`, columns: {}, filters: [] };
  }
  return { lineage, diagnostics: compiled.diagnostics.map((d) => ({ ...d, severity: 'warn' as const })) };
}
