import { conventionsOf } from '../adapters/registry.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Diagnostic } from '../diagnostics/index.js';
import { RelationIndex } from '../compile/index.js';
import { traceProject, type KnownRelation, type LineageArtifact, type TraceableNode } from '../lineage/index.js';
import type { ManifestNode } from '../parse/types.js';
import { runCompiler } from '../execute/run-context.js';
import type { PreparedProject } from './prepare.js';
import { WarehouseState } from '../execute/warehouse-state.js';
import type { ColumnDef } from '../adapters/contract.js';
import { lineageWarehouse, NEEDS_WAREHOUSE, type CatalogRelation, type LiveWarehouse } from './lineage-warehouse.js';
import { compileChecksum, compileInputs, type CompileInputs, type WarehouseCompiled } from './lineage-reuse.js';

/** unique id → its columns as the warehouse has them, in its order. */
export type CatalogColumns = Map<string, ColumnDef[]>;

/** The catalog's column names, lower-cased, by unique id. */
export function columnNames(catalog: CatalogColumns): Record<string, string[]> {
  return Object.fromEntries([...catalog].map(([id, cols]) => [id, cols.map((c) => c.name.toLowerCase())]));
}

/** `target/catalog.json` → each node's and source's columns; empty when there is none. */
export function readCatalogColumns(targetDir: string): CatalogColumns {
  const file = join(targetDir, 'catalog.json');
  const out: CatalogColumns = new Map();
  if (!existsSync(file)) return out;
  try {
    const catalog = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, { columns?: Record<string, { name: string; index: number; type?: string }> }>>;
    for (const group of [catalog.nodes ?? {}, catalog.sources ?? {}]) {
      for (const [id, entry] of Object.entries(group)) {
        const cols = Object.values(entry.columns ?? {}).sort((a, b) => a.index - b.index);
        out.set(id, relationColumns(cols).map((c) => ({ name: c.name, dataType: c.type ?? '' })));
      }
    }
  } catch {
    // An unreadable catalog is treated as absent: lineage then says which columns are unknown.
  }
  return out;
}

/**
 * A catalog entry's columns without the fields nested in them (dbt-bigquery lists `address.city` after
 * `address`): a `parent.child` name whose parent is listed with a STRUCT type (or an ARRAY of STRUCTs) is a
 * field, not a column of the relation. A column literally named `a.b` beside a column `a` of another type
 * (possible on DuckDB) stays a column.
 */
function relationColumns<C extends { name: string; type?: string }>(cols: C[]): C[] {
  const structs = new Set(cols.filter((c) => /^(array<)?struct\b/i.test(c.type ?? '')).map((c) => c.name));
  return cols.filter((c) => {
    const dot = c.name.lastIndexOf('.');
    return dot < 0 || !structs.has(c.name.slice(0, dot));
  });
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
 * Compiles each model for its lineage. One that reads the warehouse while compiling and gets no answer (`strata
 * lineage`, which has none; `docs generate --no-compile`, whose compile ran no query) is traced from the SQL the
 * last `docs generate` compiled with it (`kept`, from target/lineage.json), while its code, config, macros, target, vars and
 * env are unchanged; else it fails with NEEDS_WAREHOUSE, saying when that SQL is out of date. `withWarehouse`: the SQL of each model compiled with a warehouse, to keep in lineage.json.
 */
async function compileEach(
  nodes: ManifestNode[],
  manifest: PreparedProject['graph']['manifest'],
  inputs: CompileInputs,
  compile: (n: ManifestNode, usedLive: () => void) => Promise<{ compiled: Map<string, string>; diagnostics: Diagnostic[] }>,
  kept?: Map<string, WarehouseCompiled>,
): Promise<{ compiled: Map<string, string>; failed: Map<string, Diagnostic[]>; withWarehouse: Map<string, WarehouseCompiled> }> {
  const compiled = new Map<string, string>();
  const failed = new Map<string, Diagnostic[]>();
  const withWarehouse = new Map<string, WarehouseCompiled>();
  for (const n of nodes) {
    let used = false;
    const one = await compile(n, () => (used = true));
    const sql = one.compiled.get(n.uniqueId);
    if (sql !== undefined) {
      compiled.set(n.uniqueId, sql);
      if (used) withWarehouse.set(n.uniqueId, { checksum: compileChecksum(n, manifest, inputs), sql });
      continue;
    }
    const needs = one.diagnostics.find((d) => d.code === NEEDS_WAREHOUSE);
    const before = needs ? kept?.get(n.uniqueId) : undefined;
    if (before && before.checksum === compileChecksum(n, manifest, inputs)) {
      compiled.set(n.uniqueId, before.sql);
      withWarehouse.set(n.uniqueId, before);
      continue;
    }
    const stale = '; the SQL the last `strata docs generate` compiled with the warehouse is out of date (the model, its config, a macro it calls, where a model or source it reads lives, the target, the vars or an env var it reads changed since)';
    failed.set(n.uniqueId, before && needs ? [{ ...needs, message: needs.message + stale }] : one.diagnostics);
  }
  return { compiled, failed, withWarehouse };
}

/**
 * The project's column lineage: every model and snapshot compiled as a first full build would run it
 * (`is_incremental()` false, `execute` true as in dbt's compile), then traced parents first. A macro that reads
 * the warehouse while compiling (`adapter.get_columns_in_relation`, as `dbt_utils.star` does; `run_query`) is
 * answered by the catalog, or by `live` (what the command's own compile got from the warehouse); when neither can, the
 * model is untraced and says why (lineage-warehouse.ts), unless `kept` (target/lineage.json's) has the SQL a docs
 * generate compiled for it with the warehouse and it is unchanged since (compileEach). Columns of sources and
 * seeds come from `catalog` (target/catalog.json, or what `docs generate` just read), seeds' from their CSV header otherwise. A model that
 * does not compile is untraced, with the compiler's message.
 */
export async function projectLineage(p: PreparedProject, catalog: CatalogColumns, live?: LiveWarehouse, kept: Map<string, WarehouseCompiled> = new Map()): Promise<{ lineage: LineageArtifact; diagnostics: Diagnostic[] }> {
  const manifest = p.graph.manifest;
  const index = new RelationIndex(manifest);
  const relations: KnownRelation[] = [];
  const known: CatalogRelation[] = [];
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
    const found = catalog.get(id);
    const columns = found?.map((c) => c.name.toLowerCase()) ?? (node.resourceType === 'seed' ? seedHeader(node) : undefined);
    relations.push({ uniqueId: id, resourceType: node.resourceType, ...index.relationOf(node), ...(columns ? { columns } : {}) });
    known.push({ relation: index.relationOf(node), ...(found ? { columns: found } : {}) });
  }
  for (const s of Object.values(manifest.sources)) {
    const found = catalog.get(s.uniqueId);
    relations.push({ uniqueId: s.uniqueId, resourceType: 'source', ...index.relationOf(s), ...(found ? { columns: found.map((c) => c.name.toLowerCase()) } : {}) });
    known.push({ relation: index.relationOf(s), ...(found ? { columns: found } : {}) });
  }
  // Compiled as on a first full build, without touching target/compiled; the manifest keeps its compiled code.
  const saved = traced.map((n) => [n, n.compiledCode, n.compiledPath] as const);
  const compiler = runCompiler(p, { relations: index, state: new WarehouseState(), selected: traced.map((n) => n.uniqueId) });
  const { compiled, failed, withWarehouse } = await compileEach(traced, manifest, compileInputs(p), (n, usedLive) => compiler.compileAll([n.uniqueId], lineageWarehouse(known, index.relationOf(n), live, usedLive)), kept);
  for (const [n, code, path] of saved) Object.assign(n, { compiledCode: code, compiledPath: path });
  const nodes: TraceableNode[] = [];
  for (const n of traced) {
    nodes.push({ uniqueId: n.uniqueId, sql: compiled.get(n.uniqueId) ?? '', parents: n.dependsOn.nodes, ...(n.resourceType === 'snapshot' ? { extraColumns: snapshotColumns(n) } : {}) });
  }
  const lineage = await traceProject({ dialect: conventionsOf(p.adapter.type)?.lineage?.grammar ?? 'generic', renamesRepeatedColumns: conventionsOf(p.adapter.type)?.lineage?.renamesRepeatedColumns ?? false, adapterType: p.adapter.type, invocationId: p.invocationId, relations, nodes, ephemerals });
  for (const [id, entry] of withWarehouse) if (lineage.nodes[id]) lineage.nodes[id]!.compiled_with_warehouse = entry;
  const diagnostics: Diagnostic[] = [];
  for (const [id, problems] of failed) {
    const needs = problems.find((d) => d.code === NEEDS_WAREHOUSE);
    const problem = needs ?? problems.find((d) => d.file === manifest.nodes[id]!.originalFilePath) ?? problems[0];
    lineage.nodes[id] = { status: 'untraced', reason: needs ? needs.message : `it does not compile${problem ? `: ${problem.message}` : ''}`, columns: {}, filters: [] };
    // A model that needs the warehouse is no mistake: its reason is in the lineage, not a warning.
    if (!needs) diagnostics.push(...problems.map((d) => ({ ...d, severity: 'warn' as const })));
  }
  return { lineage, diagnostics };
}
