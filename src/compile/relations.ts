import type { QuotePolicy, Relation } from '../adapters/contract.js';
import type { Manifest, ManifestNode, RefCall, SourceDefinition } from '../parse/types.js';
import { didYouMean } from '../diagnostics/index.js';
import { refTarget } from '../parse/index.js';

/**
 * dbt's quote policy of a relation: the project's `quoting:`, then the node's own `quoting` config (a source's
 * `quoting:`), each part quoted unless one says false. Undefined when every part is quoted, as by default.
 */
export function quotePolicyOf(project: Record<string, unknown> | undefined, own: Record<string, unknown> | undefined): QuotePolicy | undefined {
  const merged = { ...(project ?? {}), ...(own ?? {}) };
  const policy: QuotePolicy = {};
  for (const part of ['database', 'schema', 'identifier'] as const) if (merged[part] === false) policy[part] = false;
  return Object.keys(policy).length ? policy : undefined;
}

/** Resource types a `ref()` may point at, as in dbt. */
const REFABLE = new Set(['model', 'seed', 'snapshot']);

/** Where each node and source lives, and how `ref`/`source` calls resolve at run time. */
export class RelationIndex {
  private readonly byName = new Map<string, ManifestNode[]>();
  private readonly sources = new Map<string, SourceDefinition>();
  /** `--defer`: nodes read where a saved manifest says they are built (another target's). */
  private deferred = new Map<string, Relation>();

  constructor(private readonly manifest: Manifest) {
    for (const node of Object.values(manifest.nodes)) {
      if (!REFABLE.has(node.resourceType)) continue;
      const list = this.byName.get(node.name) ?? [];
      list.push(node);
      this.byName.set(node.name, list);
    }
    for (const s of Object.values(manifest.sources)) this.sources.set(`${s.sourceName}\u0000${s.name}`, s);
  }

  /** From now on, these nodes resolve to the given relations (`--defer`). */
  defer(relations: Map<string, Relation>): void {
    this.deferred = relations;
  }

  relationOf(node: ManifestNode | SourceDefinition): Relation {
    const deferred = this.deferred.get(node.uniqueId);
    if (deferred) return deferred;
    const quotePolicy = quotePolicyOf(this.manifest.quoting, node.resourceType === 'source' ? node.quoting : (node.config.quoting as Record<string, unknown> | undefined));
    const policy = quotePolicy ? { quotePolicy } : {};
    if (node.resourceType === 'source') {
      return { database: node.database, schema: node.schema, identifier: node.identifier, ...(node.externalLocation ? { external: node.externalLocation } : {}), ...policy };
    }
    return { database: node.database, schema: node.schema, identifier: node.alias, ...policy };
  }

  /** `fromPackage`: the package of the node whose ref this is (its own models come before other packages'). */
  findRef(ref: RefCall, fromPackage?: string): ManifestNode | undefined {
    return refTarget(this.byName.get(ref.name) ?? [], ref, this.manifest.projectName, fromPackage).node;
  }

  resolveRef(ref: RefCall, fromPackage?: string): ManifestNode | { error: string; hint?: string } {
    const node = this.findRef(ref, fromPackage);
    if (node) return node;
    if (ref.version !== undefined && this.byName.has(ref.name)) return { error: `ref('${ref.name}', v=${String(ref.version)}) does not match any version of '${ref.name}'`, hint: 'leave v= out for the latest version' };
    const hint = didYouMean(ref.name, this.byName.keys());
    return { error: `ref('${ref.name}') does not match any model, seed or snapshot`, ...(hint ? { hint } : {}) };
  }

  resolveSource(sourceName: string, table: string): SourceDefinition | { error: string; hint?: string } {
    const found = this.sources.get(`${sourceName}\u0000${table}`);
    if (found) return found;
    const names = Object.values(this.manifest.sources).map((s) => `${s.sourceName}.${s.name}`);
    const hint = didYouMean(`${sourceName}.${table}`, names);
    return { error: `source('${sourceName}', '${table}') is not declared in any sources YAML`, ...(hint ? { hint } : {}) };
  }
}
