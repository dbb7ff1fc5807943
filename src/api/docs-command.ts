import { warningsAsErrors } from './warn-error.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import type { Connection, Relation, Warehouse } from '../adapters/contract.js';
import { RelationIndex } from '../compile/index.js';
import { catalogArtifact, writeJsonArtifact, type CatalogEntry } from '../artifacts/index.js';
import { writeDocsSite, writeStaticIndex, type WarehouseFacts } from '../docs/index.js';
import { readWarehouseFacts } from './docs-warehouse-facts.js';
import { prepareProject } from './prepare.js';
import { projectLineage } from './project-lineage.js';
import type { LineageArtifact, LineageStatus } from '../lineage/index.js';
import { writeManifest } from './run-artifacts.js';
import { compileForDocs, writeCompileResults } from './compile-results.js';
import { copyDocsAssets } from './docs-assets.js';
import type { CommonOptions, ExitCode } from './types.js';
import { commentOutsideNodes } from '../execute/query-comments.js';

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

/**
 * `strata docs generate`: compiles every model, test, analysis and snapshot as dbt's does (to target/compiled/,
 * and run_results.json when all compiled: compile-results.ts), writes manifest.json and catalog.json (dbt's catalog v1) — each built node's and
 * each source's columns and types as the warehouse has them, read schema by schema. Nodes not built yet and
 * ephemeral models are left out, as in dbt. Then lineage.json: column-level lineage traced from the compiled SQL
 * with those columns (project-lineage.ts), and last the static docs site in target/docs/ (see docs/docs-site.md),
 * which embeds every artifact written before it. Never builds anything.
 */
export async function docsGenerate(options: CommonOptions & { noCompile?: boolean; /** `--static`: also target/static_index.html, the site in one file (dbt's flag). */ static?: boolean }): Promise<DocsGenerateResult> {
  const outcome = await prepareProject({ ...options, command: 'generate' });
  if (!outcome.ok) return { exitCode: 2, diagnostics: outcome.diagnostics, nodes: 0, sources: 0 };
  const p = outcome.prepared;
  const diagnostics = [...p.diagnostics];
  // --warn-error: a warning about the project stops the command before anything is written.
  const strict = warningsAsErrors(diagnostics, options);
  if (strict) return { exitCode: 2, diagnostics: strict, nodes: 0, sources: 0 };
  const started = Date.now();
  const manifest = p.graph.manifest;
  const relations = new RelationIndex(manifest);
  const wanted: { uniqueId: string; relation: Relation; source: boolean }[] = [];
  for (const n of Object.values(manifest.nodes)) {
    if (CATALOGUED.has(n.resourceType) && n.config.materialized !== 'ephemeral') wanted.push({ uniqueId: n.uniqueId, relation: relations.relationOf(n), source: false });
  }
  for (const s of Object.values(manifest.sources)) wanted.push({ uniqueId: s.uniqueId, relation: relations.relationOf(s), source: true });

  const nodes: CatalogEntry[] = [];
  const sources: CatalogEntry[] = [];
  let facts: WarehouseFacts = {};
  let compiled: Awaited<ReturnType<typeof compileForDocs>> = { diagnostics: [] };
  let warehouse: Warehouse | undefined;
  let connection: Connection | undefined;
  try {
    warehouse = await p.adapter.open(p.project.target, { projectRoot: p.project.config.rootDir, secrets: p.project.secrets, invocationId: p.invocationId });
    connection = await commentOutsideNodes(p, await warehouse.connect());
    // dbt's --no-compile: nothing compiled, manifest.json and run_results.json not written (the site then shows
    // the ones a last command wrote, if any).
    if (!options.noCompile) compiled = await compileForDocs(p, connection);
    const bySchema = new Map<string, typeof wanted>();
    for (const w of wanted) {
      const key = `${w.relation.database ?? ''}\u0000${w.relation.schema}`;
      bySchema.set(key, [...(bySchema.get(key) ?? []), w]);
    }
    for (const group of bySchema.values()) {
      const { schema, database } = group[0]!.relation;
      const present = new Map((await connection.listRelations(schema, database)).map((r) => [r.identifier.toLowerCase(), r]));
      for (const w of group) {
        const found = present.get(w.relation.identifier.toLowerCase());
        if (!found) continue;
        const columns = await connection.getColumns(w.relation);
        // A warehouse with its own catalog statistics (BigQuery) describes each relation as its dbt adapter does.
        const details = connection.describeRelation ? await connection.describeRelation(w.relation) : undefined;
        const comment = details ? details.comment : found.comment;
        (w.source ? sources : nodes).push({ uniqueId: w.uniqueId, database: w.relation.database, schema: found.schema, identifier: found.identifier, kind: found.kind, ...(comment !== undefined ? { comment } : {}), columns, ...(details ? { type: details.type, stats: details.stats } : {}) });
      }
    }
    // A warehouse that bills queries (BigQuery: the one with dry-run cost estimates) is only listed, as
    // for the catalog: `docs generate` costs nothing there, and the site goes without history and ledger.
    if (!p.adapter.dialect.capabilities.dryRun) facts = await readWarehouseFacts(connection, p.adapter.dialect);
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
  const columns = new Map([...nodes, ...sources].map((e) => [e.uniqueId, e.columns.map((c) => c.name.toLowerCase())]));
  const traced = await projectLineage(p, columns);
  // A node that failed its compile above fails the lineage's too: its message is said once.
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
