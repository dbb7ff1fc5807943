import { warningsAsErrors } from './warn-error.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import type { Connection, QueryResult, Relation, Warehouse } from '../adapters/contract.js';
import { readCatalog, type CatalogWanted } from './docs-catalog.js';
import { RelationIndex } from '../compile/index.js';
import { catalogArtifact, writeJsonArtifact, type CatalogEntry } from '../artifacts/index.js';
import { writeDocsSite, writeStaticIndex, type WarehouseFacts } from '../docs/index.js';
import { readWarehouseFacts } from './docs-warehouse-facts.js';
import { prepareProject } from './prepare.js';
import { projectLineage } from './project-lineage.js';
import { readWarehouseCompiled } from './lineage-reuse.js';
import type { LineageArtifact, LineageStatus } from '../lineage/index.js';
import { writeManifest } from './run-artifacts.js';
import { compileForDocs, writeCompileResults } from './compile-results.js';
import { copyDocsAssets } from './docs-assets.js';
import type { CommonOptions, ExitCode, SelectionOptions } from './types.js';
import { selectForCommand } from './state-option.js';
import { columnSelectionFor } from './column-selection.js';
import { commentOutsideNodes } from '../execute/query-comments.js';
import { templateWarehouse } from '../execute/warehouse-state.js';

/** Resource types that are relations in the warehouse. */
const CATALOGUED = new Set(['model', 'seed', 'snapshot', 'landing']);

export interface DocsGenerateResult {
  exitCode: ExitCode;
  diagnostics: Diagnostic[];
  nodes: number;
  sources: number;
  /** How many models and snapshots target/lineage.json traces fully, in part, or not. */
  lineage?: Record<LineageStatus, number>;
  /** The docs site's folder, when its bundle was there to write. */
  site?: string;
  /** The folder the artifacts were written to (the project's `target-path`), once the project was read. */
  targetDir?: string;
  /** `--static`: the one-file site written (target/static_index.html). */
  staticIndex?: string;
}

function lineageCounts(lineage: LineageArtifact): Record<LineageStatus, number> {
  const counts: Record<LineageStatus, number> = { traced: 0, partial: 0, untraced: 0 };
  for (const n of Object.values(lineage.nodes)) counts[n.status]++;
  return counts;
}

export interface DocsGenerateOptions extends CommonOptions, SelectionOptions {
  /** `--no-compile`: nothing compiled, manifest.json and run_results.json not written. */
  noCompile?: boolean;
  /** `--static`: also target/static_index.html, the site in one file (dbt's flag). */
  static?: boolean;
  /** `--empty-catalog`: no catalog queries; catalog.json lists no node and no source (dbt's flag). */
  emptyCatalog?: boolean;
}

/**
 * `strata docs generate`: compiles every model, test, analysis and snapshot as dbt's does (to target/compiled/,
 * and run_results.json; a node that does not compile stops it, exit 2, as dbt's: compile-results.ts), writes manifest.json and catalog.json (dbt's catalog v1) — each built node's and
 * each source's columns and types as the warehouse has them, read schema by schema. Nodes not built yet and
 * ephemeral models are left out, as in dbt; `--select`/`--exclude` limit catalog.json (only it) to the selection,
 * `--empty-catalog` reads none (docs-catalog.ts). Then lineage.json: column-level lineage traced from the compiled
 * SQL with every relation's columns, selected or not (project-lineage.ts), and last the static docs site in target/docs/ (see
 * docs/docs-site.md), which embeds every artifact written before it. Never builds anything.
 */
export async function docsGenerate(options: DocsGenerateOptions): Promise<DocsGenerateResult> {
  const outcome = await prepareProject({ ...options, command: 'generate' });
  if (!outcome.ok) return { exitCode: 2, diagnostics: outcome.diagnostics, nodes: 0, sources: 0 };
  const p = outcome.prepared;
  const diagnostics = [...p.diagnostics];
  // --warn-error: a warning about the project stops the command before anything is written.
  const strict = warningsAsErrors(diagnostics, options);
  if (strict) return { exitCode: 2, diagnostics: strict, nodes: 0, sources: 0 };
  // dbt's --select/--exclude: catalog.json describes the selected nodes and sources only; the compile and the site cover the project.
  const selection = options.select?.length || options.exclude?.length || options.selector || options.state ? selectForCommand(p, options, undefined, await columnSelectionFor(p, options)) : undefined;
  if (selection) diagnostics.push(...selection.diagnostics);
  if (selection?.diagnostics.some((d) => d.severity === 'error')) return { exitCode: 2, diagnostics, nodes: 0, sources: 0 };
  const chosen = selection && new Set(selection.ids);
  const started = Date.now();
  const manifest = p.graph.manifest;
  const relations = new RelationIndex(manifest);
  const wanted: CatalogWanted[] = [];
  for (const n of Object.values(manifest.nodes)) {
    if (CATALOGUED.has(n.resourceType) && n.config.materialized !== 'ephemeral') wanted.push({ uniqueId: n.uniqueId, relation: relations.relationOf(n), source: false });
  }
  for (const s of Object.values(manifest.sources)) wanted.push({ uniqueId: s.uniqueId, relation: relations.relationOf(s), source: true });

  let nodes: CatalogEntry[] = [];
  let sources: CatalogEntry[] = [];
  let facts: WarehouseFacts = {};
  let compiled: Awaited<ReturnType<typeof compileForDocs>> = { diagnostics: [] };
  // Set in the try below, which returns when it fails.
  let traced!: Awaited<ReturnType<typeof projectLineage>>;
  let warehouse: Warehouse | undefined;
  let connection: Connection | undefined;
  try {
    warehouse = await p.adapter.open(p.project.target, { projectRoot: p.project.config.rootDir, secrets: p.project.secrets, invocationId: p.invocationId });
    connection = await commentOutsideNodes(p, await warehouse.connect());
    // dbt's --no-compile: nothing compiled, manifest.json and run_results.json not written (the site then shows
    // the ones a last command wrote, if any).
    const answers = new Map<string, QueryResult>();
    if (!options.noCompile) compiled = await compileForDocs(p, connection, answers);
    // As dbt's: a node that does not compile stops docs generate (exit 2, as compile): the manifest is written
    // (dbt writes it at parse), no catalog.json, run_results.json, lineage or site.
    if (!options.noCompile && !compiled.records) {
      writeManifest(p);
      return { exitCode: 2, diagnostics: [...diagnostics, ...compiled.diagnostics], nodes: 0, sources: 0 };
    }
    // The lineage needs every relation's columns (the site shows every node's), so all are read, one query per
    // schema; only catalog.json is limited to the selection.
    let read: Awaited<ReturnType<typeof readCatalog>> = { nodes: [], sources: [] };
    if (!options.emptyCatalog) read = await readCatalog(connection, wanted);
    nodes = chosen ? read.nodes.filter((e) => chosen.has(e.uniqueId)) : read.nodes;
    sources = chosen ? read.sources.filter((e) => chosen.has(e.uniqueId)) : read.sources;
    // A warehouse that bills queries (BigQuery: the one with dry-run cost estimates) is only listed, as
    // for the catalog: beyond the project's own run_query calls in the compile above (as dbt's), `docs
    // generate` bills nothing there, and the site goes without history and ledger.
    if (!p.adapter.dialect.capabilities.dryRun) facts = await readWarehouseFacts(connection, p.adapter.dialect);
    // Lineage while the warehouse is open: a model whose SQL reads it when compiled is traced as the build would
    // run it, its run_query answered as the compile above was (never run twice), other relations' columns read
    // from the warehouse's metadata (BigQuery: tables.get, which bills nothing).
    const columns = new Map([...read.nodes, ...read.sources].map((e) => [e.uniqueId, e.columns]));
    // A model its compile did not answer for (`--no-compile`) keeps the SQL the last docs generate compiled, while unchanged.
    traced = await projectLineage(p, columns, { answers, metadata: templateWarehouse(connection, p.adapter.dialect) }, readWarehouseCompiled(p.targetDir));
  } catch (e) {
    if (!options.noCompile) writeManifest(p);
    const describe = (e as { describe?: () => string }).describe;
    diagnostics.push({ code: 'warehouse-error', severity: 'error', message: p.scrubber.scrub(typeof describe === 'function' ? describe.call(e) : (e as Error).message.split('\n')[0]!), file: p.project.profilesFile ?? 'profiles.yml' });
    return { exitCode: 1, diagnostics, nodes: 0, sources: 0 };
  } finally {
    await connection?.close().catch(() => undefined);
    await warehouse?.close().catch(() => undefined);
  }
  if (!options.noCompile) {
    writeManifest(p);
    diagnostics.push(...compiled.diagnostics);
    if (compiled.records) writeCompileResults(p, 'generate', options, compiled.records, (Date.now() - started) / 1000);
  }
  writeJsonArtifact(join(p.targetDir, 'catalog.json'), catalogArtifact({ invocationId: p.invocationId, nodes, sources, env: p.env }), p.scrubber);
  diagnostics.push(...copyDocsAssets(p.project.config.rootDir, p.targetDir, p.project.config.assetPaths ?? [], p.project.config.configFile).diagnostics);
  // A problem both the compile and the lineage's trace report is said once.
  const said = new Set(diagnostics.map((d) => `${d.file}\u0000${d.message}`));
  diagnostics.push(...traced.diagnostics.filter((d) => !said.has(`${d.file}\u0000${d.message}`)));
  writeJsonArtifact(join(p.targetDir, 'lineage.json'), traced.lineage, p.scrubber);
  const lineage = lineageCounts(traced.lineage);
  if (options.noCompile && !existsSync(join(p.targetDir, 'manifest.json'))) return { exitCode: 0, diagnostics, nodes: nodes.length, sources: sources.length, lineage, targetDir: p.targetDir };
  // The site last: it embeds every artifact written before it (lineage.json included).
  const site = writeDocsSite(p.targetDir, (text) => p.scrubber.scrub(text), facts, p.graph.manifest.packageDirs);
  diagnostics.push(...site.diagnostics);
  if (!site.ok) return { exitCode: 2, diagnostics, nodes: nodes.length, sources: sources.length, lineage, targetDir: p.targetDir };
  const staticIndex = site.written && options.static ? writeStaticIndex(p.targetDir) : undefined;
  return { exitCode: 0, diagnostics, nodes: nodes.length, sources: sources.length, lineage, targetDir: p.targetDir, ...(site.written ? { site: site.dir } : {}), ...(staticIndex ? { staticIndex } : {}) };
}
