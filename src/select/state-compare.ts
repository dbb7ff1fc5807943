import type { Manifest, ManifestNode } from '../parse/types.js';
import type { StateManifest, StateNode } from './state-manifest.js';

/**
 * Whether a macro's text equals its saved text, where the saved manifest masked secrets as `****` (a
 * `secret()` default, a profile value): each `****` stands for any text, so scrubbing never reads as an edit.
 */
export function sameMaskedText(now: string, saved: string | undefined): boolean {
  if (saved === undefined) return false;
  if (now === saved) return true;
  if (!saved.includes('****')) return false;
  const pattern = saved.split('****').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*?');
  return new RegExp(`^${pattern}$`).test(now);
}

/** JSON with keys sorted, so that two configs written in another order compare equal. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

const ASPECTS = ['body', 'configs', 'relation', 'persisted_descriptions', 'macros', 'contract'] as const;
export type StateAspect = (typeof ASPECTS)[number];
export const STATE_VALUES = ['new', 'old', 'modified', 'unmodified', ...ASPECTS.map((a) => `modified.${a}`)];

/**
 * dbt's `state:` comparisons of one node of this project with the same node of a saved manifest:
 * `body` (the file's checksum), `configs` (the config as written: project folders, YAML, `config()`),
 * `relation` (the database, schema and alias configs, not the names they render to, so dev and prod
 * compare equal), `persisted_descriptions` (descriptions that persist_docs writes to the warehouse),
 * `macros` (a macro the node calls, directly or through other macros, changed), `contract`.
 */
export class StateComparer {
  private readonly macroClosure = new Map<string, string[]>();
  private readonly changes = new Map<string, Set<StateAspect>>();
  private readonly comparesDbt: boolean;

  constructor(private readonly manifest: Manifest, private readonly state: StateManifest) {
    this.comparesDbt = state.byStrata === true && [...state.macros.keys()].some((id) => id.startsWith('macro.dbt.'));
  }

  /** The saved run's results and source freshness (`result:`, `source_status:`). */
  get results(): StateManifest['results'] {
    return this.state.results;
  }

  isNew(id: string, kind: 'node' | 'source' | 'exposure'): boolean {
    return kind === 'source' ? !this.state.sources.has(id) : kind === 'exposure' ? !this.state.exposures.has(id) : !this.state.nodes.has(id);
  }

  /** Which aspects of a node differ from its saved version (empty: unmodified). */
  modified(node: ManifestNode): Set<StateAspect> {
    let hit = this.changes.get(node.uniqueId);
    if (!hit) this.changes.set(node.uniqueId, (hit = this.compare(node)));
    return hit;
  }

  private compare(node: ManifestNode): Set<StateAspect> {
    const old = this.state.nodes.get(node.uniqueId);
    const out = new Set<StateAspect>();
    if (!old) return new Set(ASPECTS);
    if (old.checksum !== undefined && old.checksum !== node.checksum.checksum) out.add('body');
    if (stable(node.unrenderedConfig) !== stable(old.unrenderedConfig)) out.add('configs');
    for (const key of ['database', 'schema', 'alias']) if (stable(node.unrenderedConfig[key]) !== stable(old.unrenderedConfig[key])) out.add('relation');
    if (this.descriptionsChanged(node, old)) out.add('persisted_descriptions');
    if (this.macrosChanged(node)) out.add('macros');
    if (this.contractChanged(node, old)) out.add('contract');
    return out;
  }

  private descriptionsChanged(node: ManifestNode, old: StateNode): boolean {
    const docs = (node.config.persist_docs ?? {}) as { relation?: boolean; columns?: boolean };
    if ((docs.relation || old.persistDocs.relation) && node.description !== old.description) return true;
    if (docs.columns || old.persistDocs.columns) {
      const names = new Set([...Object.keys(node.columns), ...Object.keys(old.columns)]);
      for (const n of names) if ((node.columns[n]?.description ?? '') !== (old.columns[n]?.description ?? '')) return true;
    }
    return false;
  }

  private contractChanged(node: ManifestNode, old: StateNode): boolean {
    const enforced = (node.config.contract as { enforced?: unknown } | undefined)?.enforced === true;
    if (enforced !== old.contractEnforced) return true;
    if (!enforced) return false;
    const now = Object.values(node.columns).map((c) => `${c.name}:${c.dataType ?? ''}`).join(',');
    const then = Object.entries(old.columns).map(([n, c]) => `${n}:${c.dataType ?? ''}`).join(',');
    return now !== then;
  }

  /**
   * A macro the node calls, or one those call (their `depends_on.macros`, as dbt's `state:modified.macros`
   * follows them), whose text differs from the saved one or is new. dbt's own macros (package `dbt`) are
   * compared only with a manifest Strata wrote that lists them: dbt's text of them is not Strata's, and a
   * Strata before this one listed none.
   */
  private macrosChanged(node: ManifestNode): boolean {
    for (const id of node.dependsOn.macros) {
      for (const m of this.closure(id)) {
        if (!this.comparesDbt && m.startsWith('macro.dbt.')) continue;
        const now = this.manifest.macros[m]?.macroSql;
        if (now !== undefined && !sameMaskedText(now, this.state.macros.get(m))) return true;
      }
    }
    return false;
  }

  private closure(id: string): string[] {
    const hit = this.macroClosure.get(id);
    if (hit) return hit;
    const seen = new Set<string>([id]);
    const stack = [id];
    while (stack.length) {
      for (const callee of this.manifest.macros[stack.pop()!]?.dependsOn.macros ?? []) {
        if (seen.has(callee)) continue;
        seen.add(callee);
        stack.push(callee);
      }
    }
    const out = [...seen];
    this.macroClosure.set(id, out);
    return out;
  }
}
