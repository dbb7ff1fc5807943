/**
 * The project's graph for `prepareProject`: the graph snapshot while it holds, the snapshot with the edited models'
 * SQL (partial parsing), or a parse of the files, stored as the next snapshot when clean.
 */
import type { Diagnostic, DiagnosticBag, SecretScrubber } from '../diagnostics/index.js';
import type { LoadedProject } from '../project/types.js';
import type { Adapter } from '../adapters/contract.js';
import type { TemplateEngine } from '../templating/types.js';
import { conventionsOf } from '../adapters/registry.js';
import { incrementalStrategiesOf } from '../adapters/incremental-strategies.js';
import { writeGraphSnapshot, type LoadedSnapshot, type PatchCandidate, type ProjectGraph, type SnapshotCheck, type SnapshotInputs } from '../graph/index.js';
import { parseToGraph } from '../graph/parse-to-graph.js';
import { nodeNameOf, reparseModel, type ParseCounts } from '../parse/index.js';
import type { PrepareOptions, PreparedProject } from './prepare.js';

/** Runs f as the named phase of the parse, its time recorded (`target/perf_info.json`). */
export type PhaseTimer = <T>(phase: string, f: () => T) => T;

/**
 * The stored graph, if every edited model changed only its SQL (parse/reparse-model.ts); else undefined and
 * the caller parses the files. The edited models' docs come from the stored graph, as their renders see them.
 */
function patchSnapshot(candidate: PatchCandidate, project: LoadedProject, engine: TemplateEngine): LoadedSnapshot | undefined {
  const found = { ids: [] as string[], envVars: {} as Record<string, string | null>, varsReadBy: {} as Record<string, Record<string, string | null>>, secrets: [] as string[] };
  engine.setDocs?.(candidate.docs());
  for (const file of candidate.edited) {
    const id = `${file.kind === 'test' ? 'test' : 'model'}.${project.config.name}.${nodeNameOf(file.path)}`;
    const stored = candidate.stored(id);
    if (!stored) return undefined;
    const outcome = reparseModel(project, engine, file, stored.node, stored.facts);
    if (!outcome.same) return undefined;
    found.ids.push(id);
    Object.assign(found.envVars, outcome.envVars);
    found.varsReadBy[id] = outcome.varsRead;
    found.secrets.push(...outcome.secrets);
  }
  return candidate.accept(found);
}

/** What `projectGraph` needs of the command being prepared. */
export interface GraphStep {
  project: LoadedProject;
  adapter: Adapter;
  engine: TemplateEngine;
  check: SnapshotCheck;
  snapshotInputs: SnapshotInputs;
  targetDir: string;
  env: NodeJS.ProcessEnv;
  options: PrepareOptions;
  bag: DiagnosticBag;
  /** This build of Strata, for the parse's render cache. */
  buildId: string;
  time: PhaseTimer;
  /** Names of `secret()` calls the graph's parse made: their values are set on each warehouse session. */
  useSecrets(names: string[]): void;
  /** What the snapshot stores of a fresh parse, its diagnostics being these. */
  snapshotFacts(parsed: ReturnType<typeof parseToGraph>, diagnostics: Diagnostic[]): Parameters<typeof writeGraphSnapshot>[3];
}

export type BuiltGraph = { graph: ProjectGraph; counts: ParseCounts; graphId?: string; parsedFrom: PreparedProject['parsedFrom'] };

/** The graph: the stored one if still valid, else the stored one with edited models' SQL, else a parse of the files (then stored). */
export function projectGraph(s: GraphStep): BuiltGraph {
  let snapshot = s.check.snapshot;
  let patchedModels = 0;
  if (!snapshot && s.check.patchable) {
    snapshot = s.time('reparse_edited', () => patchSnapshot(s.check.patchable!, s.project, s.engine));
    if (snapshot) patchedModels = s.check.patchable.edited.length;
  }
  if (!snapshot) return parsedGraph(s);
  s.bag.merge(snapshot.diagnostics);
  s.engine.setDocs?.(Object.fromEntries(Object.values(snapshot.graph.manifest.docs).map((d) => [d.name, d.blockContents])));
  s.useSecrets(snapshot.secrets);
  return { graph: snapshot.graph, counts: { fromCache: 0, scanned: patchedModels, rendered: 0 }, graphId: snapshot.id, parsedFrom: patchedModels ? 'patched' : 'snapshot' };
}

/** A parse of the project's files; stored as the graph snapshot when clean. */
function parsedGraph(s: GraphStep): BuiltGraph {
  const { options, bag, adapter } = s;
  const before = bag.items.length;
  const parsed = parseToGraph(s.project, s.engine, { adapterType: adapter.type, incrementalStrategies: incrementalStrategiesOf(adapter.dialect), readsExternalLocation: conventionsOf(adapter.type)?.readsExternalLocation === true, foldsNameCase: conventionsOf(adapter.type)?.foldsNameCase === true, cacheDir: options.noParseCache ? undefined : s.targetDir, buildId: s.buildId, env: s.env, time: s.time });
  bag.merge(parsed.diagnostics);
  s.useSecrets(parsed.secrets);
  let graphId: string | undefined;
  if (!bag.hasErrors && !options.noParseCache) {
    const facts = (): Parameters<typeof writeGraphSnapshot>[3] => s.snapshotFacts(parsed, bag.items.slice(before));
    graphId = s.time('write_snapshot', () => writeGraphSnapshot(s.targetDir, s.snapshotInputs, parsed.graph, facts()));
  }
  return { graph: parsed.graph, counts: parsed.counts, graphId, parsedFrom: 'files' };
}

/** What the graph snapshot stores besides a fresh parse's graph: what the parse read, and its diagnostics. */
export function snapshotFacts(parsed: ReturnType<typeof parseToGraph>, engine: TemplateEngine, o: { sessionSecrets: Map<string, string>; diagnostics: Diagnostic[]; takenAt: number; sqlRead: boolean; scrubber: SecretScrubber }): Parameters<typeof writeGraphSnapshot>[3] {
  return {
    modelFacts: parsed.modelFacts,
    takenAt: o.takenAt,
    envRead: { ...parsed.envRead, ...engine.envRead },
    varsRead: { ...parsed.varsRead, ...engine.varsRead },
    varReaders: parsed.varReaders,
    macroVars: [...Object.keys(engine.varsRead ?? {}), ...parsed.parseVars],
    secrets: [...o.sessionSecrets.keys()],
    diagnostics: o.diagnostics,
    // Always with the graph: whatever command parsed, the next one starts warm (issue #19). Written
    // atomically (body, then the header naming it), so a command killed meanwhile leaves the old one or none.
    withGraph: true,
    // Stored because the project is being edited: commands will compile a few models, not all of them.
    unreadSql: o.sqlRead ? 'read' : 'mark',
    scrub: (t) => o.scrubber.scrub(t),
  };
}

