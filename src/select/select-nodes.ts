import { didYouMean, type Diagnostic } from '../diagnostics/index.js';
import type { ProjectGraph } from '../graph/types.js';
import { mapsWithExposures } from '../graph/index.js';
import type { StateManifest } from './state-manifest.js';
import { STATE_VALUES, StateComparer } from './state-compare.js';
import { definitionIds } from './yaml-selectors.js';
import { ATOM, METHODS, matches, type Context, type Item } from './select-methods.js';
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
  if (method === 'result' || method === 'source_status') checkSavedResults(ctx, method, value);
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

const RESULT_STATUSES = ['success', 'error', 'skipped', 'pass', 'fail', 'warn', 'no-op'];

/** `result:` reads the saved run_results.json, `source_status:` the saved and this target's sources.json: each must be there. */
function checkSavedResults(ctx: Context, method: string, value: string): void {
  const results = ctx.state?.results;
  if (!results) throw new Error(`'${method}:${value}' reads the results saved with --state: pass --state <folder of the last run's target/>`);
  if (method === 'result') {
    if (!RESULT_STATUSES.includes(value)) throw new Error(`result:${value} is not one of ${RESULT_STATUSES.join(', ')}`);
    if (!results.statuses()) throw new Error(`result:${value} reads ${results.runResultsPath}, which is missing or unreadable: save run_results.json with the manifest`);
    return;
  }
  if (value !== 'fresher') throw new Error(`source_status:${value} is not dbt's: use source_status:fresher`);
  if (!results.fresherSources()) throw new Error(`source_status:fresher compares ${results.sourcesPaths.state} with ${results.sourcesPaths.current ?? "this target's sources.json"}: run \`strata source freshness\` first, and save sources.json with the manifest`);
}

function evalArgs(ctx: Context, args: string[], diagnostics: Diagnostic[], flag: string): Set<string> {
  const out = new Set<string>();
  for (const arg of args) {
    for (const token of arg.split(/\s+/).filter(Boolean)) {
      let acc: Set<string> | undefined;
      try {
        for (const atom of token.split(',')) {
          // As dbt: an empty part (`tag:x,`) is an fqn selector that matches nothing, so the intersection is empty.
          const s = atom === '' ? new Set<string>() : evalAtom(ctx, atom);
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
  // Exposures come last, as they are leaves: listed, and in `build` a no-op each (the other run commands ask for other types).
  if (!types || types.has('exposure')) for (const e of exposures) if (selected.has(e.uniqueId)) ids.push(e.uniqueId);
  return { ids, diagnostics };
}
