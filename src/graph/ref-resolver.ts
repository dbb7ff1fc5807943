import { didYouMean, type Diagnostic } from '../diagnostics/index.js';
import type { Manifest, ManifestNode, RefCall, SourceCall } from '../parse/types.js';
import { refTarget } from '../parse/index.js';

/** The resource types `ref()` can name. */
export const REFABLE = new Set(['model', 'seed', 'snapshot']);

/** What refers to nodes: a node or an exposure. */
export type Referrer = { resourceType: string; name: string; originalFilePath: string; packageName?: string };

/** Turns a node's `ref()` and `source()` calls into unique ids; each one that names nothing is a diagnostic. */
export interface RefResolver {
  resolveRef: (node: Referrer, ref: RefCall) => string | undefined;
  resolveSource: (node: Referrer, s: SourceCall) => string | undefined;
}

/** `byName`: the refable nodes by name (a versioned model has several). Diagnostics go to `diagnostics`, in call order. */
export function refResolver(manifest: Manifest, byName: Map<string, ManifestNode[]>, diagnostics: Diagnostic[]): RefResolver {
  const disabledNames = new Set(Object.values(manifest.disabled).filter((d) => REFABLE.has(d.resourceType)).map((d) => d.name));
  const sourceKey = new Map(Object.values(manifest.sources).map((s) => [`${s.sourceName}.${s.name}`, s.uniqueId]));

  const resolveRef = (node: Referrer, ref: RefCall): string | undefined => {
    const candidates = byName.get(ref.name) ?? [];
    const found = refTarget(candidates, ref, manifest.projectName, node.packageName);
    if (found.node) return found.node.uniqueId;
    const at = ref.at ?? { file: node.originalFilePath, line: 1, column: 1 };
    if (ref.version !== undefined && candidates.length) {
      const versions = found.versions ?? [];
      diagnostics.push({ code: 'ref-version-not-found', severity: 'error', message: `${node.resourceType} '${node.name}' refers to version ${String(ref.version)} of '${ref.name}', which ${versions.length ? `has versions ${versions.join(', ')}` : 'has no versions'}`, ...at, hint: versions.length ? `use v=${versions[versions.length - 1]}, or leave v= out for the latest version` : `leave v= out, or declare versions: for '${ref.name}' in YAML` });
      return undefined;
    }
    const hint = disabledNames.has(ref.name) ? `'${ref.name}' exists but is disabled (enabled: false); enable it or remove the ref` : (didYouMean(ref.name, byName.keys()) ?? 'check the file name of the model you mean (without .sql)');
    diagnostics.push({ code: 'ref-not-found', severity: 'error', message: `${node.resourceType} '${node.name}' refers to '${ref.name}', which is not a model, seed or snapshot`, ...at, hint });
    return undefined;
  };

  const resolveSource = (node: Referrer, s: SourceCall): string | undefined => {
    const id = sourceKey.get(`${s.source}.${s.table}`);
    if (id) return id;
    const at = s.at ?? { file: node.originalFilePath, line: 1, column: 1 };
    const hint = didYouMean(`${s.source}.${s.table}`, sourceKey.keys()) ?? `declare it in a YAML file: sources: [{name: ${s.source}, tables: [{name: ${s.table}}]}]`;
    diagnostics.push({ code: 'source-not-found', severity: 'error', message: `${node.resourceType} '${node.name}' reads source('${s.source}', '${s.table}'), which is not declared`, ...at, hint });
    return undefined;
  };
  return { resolveRef, resolveSource };
}
