import type { LoadedProject, ProjectFile } from '../project/types.js';
import type { RenderNode, TemplateEngine } from '../templating/types.js';
import type { ManifestNode } from './types.js';
import type { ModelParseFacts } from './parse-project.js';
import { folderConfig } from './node-config.js';
import { fqnOf, nodeNameOf } from './relation-namer.js';

/**
 * dbt-style partial parsing for the most common edit: a model's SQL changed, but not what its node is
 * built from. Renders the edited file in the parse context and compares what the render gave (refs,
 * sources, `config()` arguments, doc and macro references, whether the fast path read it) with what the
 * stored node was built from. When all are the same, the node only differs in its SQL and checksum: every
 * other field (config, schema, alias, tests, edges) comes from the same inputs, so the stored graph stays
 * right with those two fields taken from the file. Anything else, including any diagnostic, is a full parse.
 */
export interface ReparseOutcome {
  same: boolean;
  /** env_var() and var() names the render read (→ digest) and secret() names it called: the snapshot must watch them. */
  envVars: Record<string, string | null>;
  varsRead: Record<string, string | null>;
  secrets: string[];
}

const withoutPosition = <T extends { at?: unknown }>(calls: T[]): Omit<T, 'at'>[] => calls.map(({ at: _at, ...call }) => call);
const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export function reparseModel(project: LoadedProject, engine: TemplateEngine, file: ProjectFile, stored: ManifestNode, facts: ModelParseFacts): ReparseOutcome {
  const cfg = project.config;
  const name = nodeNameOf(file.path);
  const none: ReparseOutcome = { same: false, envVars: {}, varsRead: {}, secrets: [] };
  // A model, or a singular data test (a SQL file under test-paths): parsed the same way, under its own config tree.
  const resourceType = file.kind === 'model' ? 'model' : file.kind === 'test' ? 'test' : undefined;
  if (!resourceType || stored.resourceType !== resourceType || stored.name !== name || stored.originalFilePath !== file.path || stored.packageName !== cfg.name) return none;
  const fqn = fqnOf(cfg.name, file.pathInResource, name);
  const tree = resourceType === 'model' ? cfg.models : cfg.dataTests;
  const renderNode: RenderNode = { uniqueId: stored.uniqueId, name, resourceType, packageName: cfg.name, file: file.path, fqn, config: { ...folderConfig(tree, fqn), ...(facts.patchConfig ?? {}) }, path: file.pathInResource };
  const rendered = engine.parseRender(renderNode, file.contents);
  const same =
    rendered.diagnostics.length === 0 &&
    sameJson(rendered.config, facts.renderedConfig ?? {}) &&
    sameJson(withoutPosition(rendered.refs), withoutPosition(stored.refs)) &&
    sameJson(withoutPosition(rendered.sources), withoutPosition(stored.sources)) &&
    sameJson(rendered.docRefs, stored.docRefs) &&
    sameJson(rendered.macrosUsed, stored.dependsOn.macros) &&
    rendered.fastPath === stored.extra?.fastPath;
  return { same, envVars: rendered.envVars ?? {}, varsRead: rendered.varsRead ?? {}, secrets: rendered.secrets ?? [] };
}
