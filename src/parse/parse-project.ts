import type { Diagnostic } from '../diagnostics/index.js';
import type { LoadedProject, ProjectFile } from '../project/types.js';
import type { TemplateEngine } from '../templating/types.js';
import type { Manifest, SourceDefinition } from './types.js';
import type { Patch } from './schema-yaml.js';
import { buildSources } from './sources.js';
import { buildExposures } from './exposures.js';
import { snapshotBlocks } from './snapshot-blocks.js';
import { hexDigest } from '../project/index.js';
import { nodeNameOf } from './relation-namer.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { groupDiagnostics } from './group-checks.js';
import { groupDefinitions } from './group-entries.js';
import { startParse, type ParseRun } from './parse-run.js';
import { checkPatchTargets } from './patch-targets.js';
import { flushRenders, queueUnit, type NodeKind, type VersionOf } from './parse-unit.js';
import type { ModelParseFacts, ParseCounts, ParseOptions } from './parse-options.js';

export type { ModelParseFacts, ParseCounts, ParseOptions } from './parse-options.js';

/** What `parseProject` gives besides the manifest and diagnostics: what the parse read, and checks left for later. */
export interface ParsedProject {
  manifest: Manifest;
  diagnostics: Diagnostic[];
  /** Uses of undefined groups, given every group name of the root and its packages. */
  checkGroups: (known: readonly string[]) => Diagnostic[];
  envRead: Record<string, string | null>;
  varsRead: Record<string, string | null>;
  varReaders: Record<string, string[]>;
  /** Vars read outside any file's render (property files). */
  parseVars: string[];
  secrets: string[];
  counts: ParseCounts;
  modelFacts: Map<string, ModelParseFacts>;
}

/** The files of each kind that give nodes: their resource type, folder configs (project file) and YAML patches. */
type FileKind = [ProjectFile['kind'], NodeKind, Record<string, unknown>, Map<string, Patch> | undefined];

/** project files → Manifest. Sync; renders each SQL file once in the parse context (or reuses the cache). */
export function parseProject(whole: LoadedProject, engine: TemplateEngine, options: ParseOptions = {}): ParsedProject {
  const run = startParse(whole, engine, options);
  const { cfg, props, manifest, diagnostics } = run;
  // Model versions: the file of each version (`defined_in`, or `<model>_v<v>`) → its model and version.
  const versionFiles = new Map<string, VersionOf>();
  for (const p of props.models.values()) for (const v of p.versions ?? []) versionFiles.set(v.definedIn ?? `${p.name}_v${v.v}`, { of: p, v });
  const kinds: FileKind[] = [
    ['model', 'model', cfg.models, props.models],
    ['snapshot', 'snapshot', cfg.snapshots, props.snapshots],
    ['analysis', 'analysis', {}, undefined],
    ['test', 'test', cfg.dataTests, undefined],
    ['seed', 'seed', cfg.seeds, props.seeds],
  ];
  const versionsFound = new Set<string>();
  for (const kind of kinds) queueFilesOf(run, kind, versionFiles, versionsFound);
  flushRenders(run);
  diagnostics.push(...missingVersionFiles(versionFiles, versionsFound));
  queueYamlSnapshots(run);
  flushRenders(run);
  diagnostics.push(...checkPatchTargets(run));
  const groups = groupDefinitions(props.groups, cfg.name);
  manifest.groups = groups.groups;
  diagnostics.push(...groups.diagnostics);
  // Checked once every project's groups are known (parse-to-graph): a node may name another package's group.
  const checkGroups = (known: readonly string[]): Diagnostic[] => groupDiagnostics(known, run.groupUses, () => { try { return readFileSync(join(cfg.rootDir, cfg.configFile), 'utf8'); } catch { return ''; } });
  addSourcesAndExposures(run);
  (manifest as Manifest & { unitTests?: unknown }).unitTests = props.unitTests;
  run.cache?.save();
  const { envRead, varsRead, parseVars } = run.reads;
  return { manifest, diagnostics, checkGroups, envRead, varsRead, varReaders: run.varReaders, parseVars, secrets: [...run.secrets], counts: run.counts, modelFacts: run.modelFacts };
}

/** Queues a node for each file of one kind: a model version's file as that version, a snapshot file's blocks one by one. */
function queueFilesOf(run: ParseRun, [fileKind, resourceType, tree, patches]: FileKind, versionFiles: Map<string, VersionOf>, versionsFound: Set<string>): void {
  for (const f of run.project.files) {
    if (f.kind !== fileKind) continue;
    if (resourceType === 'model') {
      const stem = nodeNameOf(f.path);
      const version = versionFiles.get(stem);
      if (version) {
        versionsFound.add(`${version.of.name}\u0000${version.v.v}`);
        queueUnit(run, { f, name: version.of.name, resourceType, tree, patches, ownCode: false, version });
        continue;
      }
      const versioned = run.props.models.get(stem);
      if (versioned?.versions) {
        run.diagnostics.push({ code: 'duplicate-node', severity: 'error', message: `${f.path} is named like model '${stem}', which has versions: they are ${versioned.versions.map((v) => `${v.definedIn ?? `${stem}_v${v.v}`}.sql`).join(', ')}`, file: f.path, line: 1, hint: `make it one of the versions (defined_in: ${stem}), or rename it` });
        continue;
      }
    }
    if (resourceType !== 'snapshot') {
      queueUnit(run, { f, name: nodeNameOf(f.path), resourceType, tree, patches, ownCode: false });
      continue;
    }
    const found = snapshotBlocks(f.path, f.contents);
    run.diagnostics.push(...found.diagnostics);
    for (const block of found.blocks) queueUnit(run, { f: blockFile(f, block.name, block.body), name: block.name, resourceType, tree, patches, ownCode: true });
  }
}

function missingVersionFiles(versionFiles: Map<string, VersionOf>, versionsFound: Set<string>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [stem, { of, v }] of versionFiles) {
    if (!versionsFound.has(`${of.name}\u0000${v.v}`)) out.push({ code: 'version-file-not-found', severity: 'error', message: `version ${v.v} of model '${of.name}' has no file: there is no ${stem}.sql under the model paths`, file: of.file, line: v.line ?? of.line, hint: `create ${stem}.sql, or point the version at its file with defined_in: <file name without .sql>` });
  }
  return out;
}

/** dbt 1.9 declares snapshots in YAML too: a `snapshots:` entry with `relation: ref('x')` or `source('s', 't')`. */
function queueYamlSnapshots(run: ParseRun): void {
  const { props, cfg } = run;
  for (const patch of props.snapshots.values()) {
    if (patch.relation === undefined) continue;
    const file = run.project.files.find((x) => x.path === patch.file);
    const relation = typeof patch.relation === 'string' ? patch.relation.trim().replace(/^\{\{\s*([\s\S]*?)\s*\}\}$/, '$1') : '';
    if (!file || !/^(ref|source)\(.*\)$/.test(relation)) {
      run.diagnostics.push({ code: 'schema-yaml-invalid', severity: 'error', message: `relation: of snapshot '${patch.name}' must be ref('model') or source('source', 'table')`, file: patch.file, line: patch.line, hint: "write relation: ref('orders')" });
      continue;
    }
    const body = `${'\n'.repeat(Math.max(0, (patch.line ?? 1) - 1))}select * from {{ ${relation} }}`;
    queueUnit(run, { f: blockFile(file, patch.name, body), name: patch.name, resourceType: 'snapshot', tree: cfg.snapshots, patches: props.snapshots, ownCode: true });
  }
}

/** Property entries for models, seeds and snapshots that no file gave a node. */
function addSourcesAndExposures(run: ParseRun): void {
  const { project, props, manifest, diagnostics } = run;
  const sources = buildSources(project, props.sources, run.describe, run.renderProperty, run.options.readsExternalLocation);
  diagnostics.push(...sources.diagnostics);
  for (const s of sources.sources) {
    if (s.config.enabled) manifest.sources[s.uniqueId] = s;
    else manifest.disabled[s.uniqueId] = s;
  }
  const exposures = buildExposures(project, props.exposures, run.describe, run.renderProperty);
  diagnostics.push(...exposures.diagnostics);
  for (const e of exposures.exposures) {
    if (e.config.enabled) manifest.exposures[e.uniqueId] = e;
    else manifest.disabled[e.uniqueId] = e;
  }
}

/** A snapshot block as a file of its own: its body as text, a checksum of its own (the parse cache keys by it). */
function blockFile(f: ProjectFile, name: string, body: string): ProjectFile {
  return { kind: f.kind, path: f.path, pathInResource: f.pathInResource, resourcePath: f.resourcePath, absPath: f.absPath, contents: body, checksum: hexDigest('sha256', `${f.checksum}:${name}:${body}`) };
}

export type { SourceDefinition };
