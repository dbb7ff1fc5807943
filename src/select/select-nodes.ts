import picomatch from 'picomatch';
import { didYouMean, type Diagnostic } from '../diagnostics/index.js';
import type { ProjectGraph } from '../graph/types.js';
import type { Exposure, ManifestNode, SourceDefinition } from '../parse/types.js';
import { mapsWithExposures } from '../graph/index.js';
import type { StateManifest } from './state-manifest.js';
import { STATE_VALUES, StateComparer, type StateAspect } from './state-compare.js';
import { definitionIds } from './yaml-selectors.js';
import type { SelectorDefinition } from '../project/selectors-file.js';

export interface SelectOptions {
  select?: string[];
  exclude?: string[];
  /** Keep only these resource types (`run` → model). Sources are listed only when asked for. */
  resourceTypes?: string[];
  indirectSelection?: 'eager' | 'cautious' | 'buildable' | 'empty';
  /** `--state`: the saved manifest `state:` selectors compare with. */
  state?: StateManifest;
  /** The project's `selectors.yml`, for `--selector`, `selector:` and a `default: true` selector. */
  selectors?: SelectorDefinition[];
  /** `--selector NAME`. */
  selector?: string;
  /** `column:` selectors: the column lineage, computed by the caller when a selector uses it. */
  columns?: ColumnSelector;
}

/**
 * `column:<model>.<column>` with its graph operators: the nodes of the column, of the columns it derives from
 * (`up` steps) and of the columns derived from it (`down` steps); undefined means no walk. Throws an Error with
 * a message for an unknown column.
 */
export type ColumnSelector = (address: string, up: number | undefined, down: number | undefined) => Set<string>;

type Item = ManifestNode | SourceDefinition | Exposure;
type Maps = ReturnType<typeof mapsWithExposures>;
/** What an atom is evaluated against. */
interface Context {
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

const METHODS = ['tag', 'path', 'file', 'fqn', 'resource_type', 'source', 'test_type', 'test_name', 'package', 'exposure', 'state', 'version', 'group', 'access', 'selector', 'column', 'config.<key>'];

/** A node's group as dbt gives it: its config's, or for a generic test the group of the node it tests. */
function groupOfItem(ctx: Context, item: Item): string | undefined {
  if (item.resourceType === 'source' || item.resourceType === 'exposure') return undefined;
  const node = item as ManifestNode;
  const own = node.resourceType === 'test' && node.attachedNode ? (ctx.graph.manifest.nodes[node.attachedNode] ?? node) : node;
  const group = own.config.group;
  return typeof group === 'string' && group ? group : undefined;
}
const ATOM = /^(@)?(?:(\d*)\+)?([^+]*?)(?:\+(\d*))?$/;

function globOrEqual(pattern: string, value: string): boolean {
  return /[*?[\]]/.test(pattern) ? picomatch.isMatch(value, pattern) : pattern === value;
}

function configValue(item: Item, key: string): unknown {
  return key.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), item.config);
}

/** Does one method:value match an item? Throws a message for an unknown method. */
function matches(ctx: Context, item: Item, method: string, value: string): boolean {
  const graph = ctx.graph;
  const fqn = item.fqn;
  switch (method) {
    case '':
    case 'fqn': {
      if (item.resourceType === 'source') return false;
      if (globOrEqual(value, item.name)) return true;
      if (value === item.packageName) return true;
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
function stateMatches(state: StateComparer, item: Item, value: string): boolean {
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

function walk(start: Set<string>, next: Record<string, string[]>, depth: number | undefined): Set<string> {
  const out = new Set<string>();
  let frontier = [...start];
  for (let d = 0; frontier.length && (depth === undefined || d < depth); d++) {
    const more: string[] = [];
    for (const id of frontier) for (const n of next[id] ?? []) if (!out.has(n)) {
      out.add(n);
      more.push(n);
    }
    frontier = more;
  }
  return out;
}

/** dbt's method for a value without one: a path if it has a slash (`seeds/real_seeds`), a file name if it ends in .sql, .py or .csv, else fqn. */
function defaultMethod(value: string): string {
  if (value.includes('/') || value.includes('\\')) return 'path';
  return /\.(sql|py|csv)$/i.test(value) ? 'file' : '';
}

/** One atom: `[@][N+]method:value[+N]`. */
function evalAtom(ctx: Context, atom: string): Set<string> {
  const { maps, items } = ctx;
  const m = ATOM.exec(atom);
  if (!m || !m[3]) throw new Error(`cannot read selector '${atom}'`);
  const [, at, up, body, down] = m;
  const colon = body!.indexOf(':');
  const value = colon > 0 ? body!.slice(colon + 1) : body!;
  const method = colon > 0 ? body!.slice(0, colon) : defaultMethod(value);
  if (!value || /\+/.test(value)) throw new Error(`cannot read selector '${atom}'`);
  if (method === 'result' || method === 'source_status') throw Object.assign(new Error(`selector method '${method}:' needs saved results, which Strata does not support yet`), { unsupported: true });
  if (method === 'state') {
    if (!ctx.state) throw new Error(`'${atom}' compares with a saved manifest: pass --state <folder with manifest.json>`);
    if (!STATE_VALUES.includes(value)) throw new Error(`state:${value} is not one of ${STATE_VALUES.join(', ')}`);
  }
  if (method === 'column') {
    if (at) throw new Error(`'@' does not apply to column: (use +column:${value}+)`);
    if (!ctx.columns) throw new Error('column: needs column lineage, which this command does not compute');
    const steps = (n: string | undefined): number | undefined => (n === undefined ? undefined : n === '' ? Infinity : Number(n));
    return ctx.columns(value, steps(up), steps(down));
  }
  const base = method === 'selector' ? selectorIds(ctx, value) : new Set(items.filter((i) => matches(ctx, i, method, value)).map((i) => i.uniqueId));
  const out = new Set(base);
  if (at) {
    const desc = walk(base, maps.childMap, undefined);
    for (const d of desc) out.add(d);
    for (const a of walk(new Set([...base, ...desc]), maps.parentMap, undefined)) out.add(a);
    return out;
  }
  if (up !== undefined) for (const a of walk(base, maps.parentMap, up === '' ? undefined : Number(up))) out.add(a);
  if (down !== undefined) for (const d of walk(base, maps.childMap, down === '' ? undefined : Number(down))) out.add(d);
  return out;
}

function evalArgs(ctx: Context, args: string[], diagnostics: Diagnostic[], flag: string): Set<string> {
  const out = new Set<string>();
  for (const arg of args) {
    for (const token of arg.split(/\s+/).filter(Boolean)) {
      let acc: Set<string> | undefined;
      try {
        for (const atom of token.split(',')) {
          const s = evalAtom(ctx, atom);
          acc = acc ? new Set([...acc].filter((x) => s.has(x))) : s;
        }
      } catch (e) {
        const err = e as Error & { unsupported?: boolean };
        diagnostics.push({ code: err.unsupported ? 'selector-unsupported' : 'selector-invalid', severity: 'error', message: `${flag} '${token}': ${err.message}`, file: flag, hint: `use a name, +name, name+, @name, or one of the methods ${METHODS.join(', ')} (e.g. tag:nightly)` });
        continue;
      }
      if (acc && acc.size === 0) diagnostics.push({ code: 'selector-matched-nothing', severity: 'warn', message: `${flag} '${token}' does not match any node`, file: flag });
      for (const x of acc ?? []) out.add(x);
    }
  }
  return out;
}

/** The nodes a named YAML selector selects. */
function selectorIds(ctx: Context, name: string): Set<string> {
  const def = ctx.selectors.get(name);
  if (!def) throw new Error(`there is no selector '${name}' in selectors.yml${ctx.selectors.size ? ` (${didYouMean(name, ctx.selectors.keys()) ?? `it has ${[...ctx.selectors.keys()].join(', ')}`})` : ''}`);
  if (ctx.evaluating.includes(name)) throw new Error(`selector '${name}' refers to itself: ${[...ctx.evaluating, name].join(' -> ')}`);
  ctx.evaluating.push(name);
  try {
    return definitionIds(def.definition, { atom: (a) => evalAtom(ctx, a), cli: (t) => evalArgs(ctx, [t], ctx.diagnostics, `selector '${name}'`) }, `selector '${name}' (selectors.yml${def.line ? `:${def.line}` : ''})`);
  } finally {
    ctx.evaluating.pop();
  }
}

/** Adds tests whose parents are selected (dbt's indirect selection). */
function withTests(graph: ProjectGraph, selected: Set<string>, mode: SelectOptions['indirectSelection']): void {
  if (mode === 'empty') return;
  // buildable: a test whose other parents are upstream of the selection (built before it) counts too.
  const upstream = mode === 'buildable' ? walk(selected, graph.parentMap, undefined) : undefined;
  for (const node of Object.values(graph.manifest.nodes)) {
    if (node.resourceType !== 'test' && node.resourceType !== 'unit_test') continue;
    const parents = (graph.parentMap[node.uniqueId] ?? []).filter((p) => graph.manifest.nodes[p] || graph.manifest.sources[p]);
    if (!parents.length) continue;
    const hit =
      mode === 'cautious' ? parents.every((p) => selected.has(p))
      : mode === 'buildable' ? parents.some((p) => selected.has(p)) && parents.every((p) => selected.has(p) || upstream!.has(p))
      : parents.some((p) => selected.has(p));
    if (hit) selected.add(node.uniqueId);
  }
}

/** graph + selectors → selected ids in topological order. Pure. */
export function selectNodes(graph: ProjectGraph, options: SelectOptions): { ids: string[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const exposures = Object.values(graph.manifest.exposures ?? {}).sort((a, b) => (a.uniqueId < b.uniqueId ? -1 : 1));
  const items: Item[] = [...Object.values(graph.manifest.nodes), ...Object.values(graph.manifest.sources), ...exposures];
  const maps = mapsWithExposures(graph);
  const ctx: Context = { graph, maps, items, ...(options.state ? { state: new StateComparer(graph.manifest, options.state) } : {}), selectors: new Map((options.selectors ?? []).map((d) => [d.name, d])), evaluating: [], diagnostics, ...(options.columns ? { columns: options.columns } : {}) };
  const mode = options.indirectSelection ?? 'eager';
  let selected: Set<string>;
  // --selector NAME, or else (with no --select or --exclude) the selector marked default: true, as dbt.
  const named = options.selector ?? (options.select?.length || options.exclude?.length ? undefined : options.selectors?.find((d) => d.default)?.name);
  if (options.selector && (options.select?.length || options.exclude?.length)) {
    diagnostics.push({ code: 'selector-invalid', severity: 'error', message: '--selector cannot be combined with --select or --exclude', file: '--selector', hint: "put the whole selection in the YAML selector, or use --select 'selector:name other+' to combine" });
    return { ids: [], diagnostics };
  }
  if (named !== undefined) {
    try {
      selected = selectorIds(ctx, named);
    } catch (e) {
      diagnostics.push({ code: 'selector-invalid', severity: 'error', message: (e as Error).message, file: 'selectors.yml', hint: 'see dbt\'s YAML selectors: a CLI-style string, method: value, or union:/intersection: lists' });
      return { ids: [], diagnostics };
    }
    withTests(graph, selected, mode);
  } else if (options.select?.length) {
    selected = evalArgs(ctx, options.select, diagnostics, '--select');
    withTests(graph, selected, mode);
  } else selected = new Set(items.map((i) => i.uniqueId));
  if (options.exclude?.length) {
    const excluded = evalArgs(ctx, options.exclude, diagnostics, '--exclude');
    withTests(graph, excluded, mode);
    for (const x of excluded) selected.delete(x);
  }
  const types = options.resourceTypes ? new Set(options.resourceTypes) : undefined;
  const ids = graph.order.filter((id) => {
    if (!selected.has(id)) return false;
    const type = graph.manifest.nodes[id]?.resourceType ?? (graph.manifest.sources[id] ? 'source' : undefined);
    return types ? types.has(type!) : true;
  });
  // Exposures come last, as they are leaves: listed, never run (the run commands ask for other types).
  if (!types || types.has('exposure')) for (const e of exposures) if (selected.has(e.uniqueId)) ids.push(e.uniqueId);
  return { ids, diagnostics };
}
