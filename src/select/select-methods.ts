import picomatch from 'picomatch';
import type { ProjectGraph } from '../graph/types.js';
import type { Diagnostic } from '../diagnostics/index.js';
import type { Exposure, ManifestNode, SourceDefinition } from '../parse/types.js';
import type { mapsWithExposures } from '../graph/index.js';
import { type StateComparer, type StateAspect } from './state-compare.js';
import type { SelectorDefinition } from '../project/selectors-file.js';
import type { ColumnSelector } from './select-nodes.js';

/** The selector methods (`tag:`, `path:`, `state:`, `config.<key>:` …): whether one item matches one method and value. */
export type Item = ManifestNode | SourceDefinition | Exposure;
export type Maps = ReturnType<typeof mapsWithExposures>;
/** What an atom is evaluated against. */
export interface Context {
  graph: ProjectGraph;
  maps: Maps;
  items: Item[];
  state?: StateComparer;
  selectors: Map<string, SelectorDefinition>;
  /** Selectors being evaluated (a selector that reaches itself is a cycle). */
  evaluating: string[];
  diagnostics: Diagnostic[];
  columns?: ColumnSelector;
}

export const METHODS = ['tag', 'path', 'file', 'fqn', 'resource_type', 'source', 'test_type', 'test_name', 'package', 'exposure', 'state', 'result', 'source_status', 'version', 'group', 'access', 'selector', 'column', 'config.<key>'];

/** A node's group as dbt gives it: its config's, or for a generic test the group of the node it tests. */
export function groupOfItem(ctx: Context, item: Item): string | undefined {
  if (item.resourceType === 'source' || item.resourceType === 'exposure') return undefined;
  const node = item as ManifestNode;
  const own = node.resourceType === 'test' && node.attachedNode ? (ctx.graph.manifest.nodes[node.attachedNode] ?? node) : node;
  const group = own.config.group;
  return typeof group === 'string' && group ? group : undefined;
}
export const ATOM = /^(@)?(?:(\d*)\+)?([^+]*?)(?:\+(\d*))?$/;

function globOrEqual(pattern: string, value: string): boolean {
  return /[*?[\]]/.test(pattern) ? picomatch.isMatch(value, pattern) : pattern === value;
}

function configValue(item: Item, key: string): unknown {
  return key.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), item.config);
}

/**
 * dbt's rule for a versioned model: its name and version, the fqn's last two parts, match a selector whose
 * last two parts are the same joined by `_` or `.` (`dim_c_v2`, `dim_c.v2`, `marts.dim_c.v2`), in any folder.
 */
function versionedMatch(item: Item, value: string): boolean {
  if (item.resourceType !== 'model' || (item as ManifestNode).version === undefined || item.fqn.length < 2) return false;
  return item.fqn.slice(-2).join('_') === value.split('.').slice(-2).join('_');
}

/** Does one method:value match an item? Throws a message for an unknown method. */
export function matches(ctx: Context, item: Item, method: string, value: string): boolean {
  const graph = ctx.graph;
  const fqn = item.fqn;
  switch (method) {
    case '':
    case 'fqn': {
      if (item.resourceType === 'source') return false;
      if (globOrEqual(value, item.name)) return true;
      if (value === item.packageName) return true;
      if (versionedMatch(item, value)) return true;
      const parts = value.split('.');
      const rest = parts[0] === item.packageName ? parts.slice(1) : parts;
      const tail = fqn.slice(1);
      if (rest.length && rest.length <= tail.length && rest.every((p, i) => globOrEqual(p, tail[i]!))) return true;
      return /[*?]/.test(value) && picomatch.isMatch(fqn.join('.'), value);
    }
    case 'tag':
      return (item.tags ?? []).some((t) => globOrEqual(value, t));
    case 'path': {
      const p = item.originalFilePath;
      const v = value.replace(/\/$/, '');
      return p === v || p.startsWith(`${v}/`) || picomatch.isMatch(p, v);
    }
    case 'file':
      return globOrEqual(value, item.originalFilePath.slice(item.originalFilePath.lastIndexOf('/') + 1)) || globOrEqual(value, item.name);
    case 'resource_type':
      return item.resourceType === value;
    case 'package':
      return item.packageName === value;
    case 'source': {
      if (item.resourceType !== 'source') return false;
      // dbt's: `source:src`, `source:src.table`, and `source:package.src.table` — what `ls` prints.
      const parts = value.split('.');
      const [pkg, s, t] = parts.length >= 3 ? parts : [undefined, parts[0], parts[1]];
      return (pkg === undefined || globOrEqual(pkg, item.packageName)) && globOrEqual(s!, item.sourceName) && (t === undefined || globOrEqual(t, item.name));
    }
    case 'test_type': {
      if (item.resourceType === 'unit_test') return value === 'unit';
      if (item.resourceType !== 'test') return false;
      return value === (item.testMetadata ? 'generic' : 'singular') || (value === 'data' && true);
    }
    case 'test_name':
      return item.resourceType === 'test' && (item.testMetadata ? globOrEqual(value, item.testMetadata.name) : globOrEqual(value, item.name));
    case 'exposure':
      // `exposure:name`, `exposure:package.name`, or its fqn as `ls` prints it (`package.folder.name`).
      return item.resourceType === 'exposure' && (globOrEqual(value, item.name) || globOrEqual(value, `${item.packageName}.${item.name}`) || globOrEqual(value, item.fqn.join('.')));
    case 'state':
      return stateMatches(ctx.state!, item, value);
    case 'result':
      // dbt's: the node's status in the saved run_results.json (success, error, fail, warn, pass, skipped).
      return ctx.state!.results!.statuses()!.get(item.uniqueId) === value;
    case 'source_status':
      return item.resourceType === 'source' && ctx.state!.results!.fresherSources()!.has(item.uniqueId);
    case 'version': {
      // dbt's: latest, prerelease (above latest), old (below it), none (an unversioned model).
      if (item.resourceType !== 'model') return false;
      const node = item as ManifestNode;
      if (value === 'none') return node.version === undefined;
      if (node.version === undefined || node.latestVersion === undefined) return false;
      const order = compareVersions(node.version, node.latestVersion);
      if (value === 'latest') return order === 0;
      if (value === 'prerelease') return order > 0;
      if (value === 'old') return order < 0;
      throw new Error(`version:${value} is not one of latest, prerelease, old, none`);
    }
    case 'group': {
      const group = groupOfItem(ctx, item);
      return group !== undefined && globOrEqual(value, group);
    }
    case 'access':
      // dbt's: models only, protected unless their config says otherwise.
      if (!['private', 'protected', 'public'].includes(value)) throw new Error(`access:${value} is not one of private, protected, public`);
      return item.resourceType === 'model' && (typeof item.config.access === 'string' ? item.config.access : 'protected') === value;
    case 'metric':
    case 'semantic_model':
      return false;
    default:
      if (method.startsWith('config.')) {
        const v = configValue(item, method.slice(7));
        return Array.isArray(v) ? v.map(String).includes(value) : v !== undefined && v !== null && String(v) === value;
      }
      void graph;
      throw new Error(`unknown selector method '${method}'`);
  }
}

/** Versions compare as numbers where both are, else as text. */
function compareVersions(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (!Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `state:new`, `state:modified(.aspect)`, `state:unmodified`, `state:old` for one item. */
export function stateMatches(state: StateComparer, item: Item, value: string): boolean {
  const kind = item.resourceType === 'source' ? 'source' : item.resourceType === 'exposure' ? 'exposure' : 'node';
  const isNew = state.isNew(item.uniqueId, kind);
  if (value === 'new') return isNew;
  if (value === 'old') return !isNew;
  // Sources and exposures are compared by presence only.
  const changed = kind === 'node' ? state.modified(item as ManifestNode) : new Set<StateAspect>();
  if (value === 'modified') return isNew || changed.size > 0;
  if (value === 'unmodified') return !isNew && changed.size === 0;
  return isNew || changed.has(value.slice('modified.'.length) as StateAspect);
}
