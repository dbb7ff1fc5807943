/**
 * dbt's YAML selectors (`selectors.yml`): a definition is a CLI-style string (`'+tag:nightly'`), a
 * key-value pair (`tag: nightly`), a full method (`{method, value, parents, children, parents_depth,
 * children_depth, childrens_parents, exclude}`), or `union:` / `intersection:` of those, where an
 * `exclude:` item takes its nodes out. Evaluated with the same atoms as `--select`.
 */
export interface SelectorTools {
  /** One `[@][n+]method:value[+n]` atom. */
  atom(atom: string): Set<string>;
  /** A CLI-style argument: space is union, comma intersection. */
  cli(text: string): Set<string>;
}

const FULL_KEYS = new Set(['method', 'value', 'parents', 'children', 'parents_depth', 'children_depth', 'childrens_parents', 'indirect_selection', 'exclude']);

export function definitionIds(def: unknown, tools: SelectorTools, where: string): Set<string> {
  if (typeof def === 'string') return tools.cli(def);
  if (Array.isArray(def)) return union(def, tools, where);
  if (!def || typeof def !== 'object') throw new Error(`${where}: a definition is a string, a method: value pair, or union:/intersection:`);
  const d = def as Record<string, unknown>;
  if ('union' in d) return withExclude(union(list(d.union, 'union', where), tools, where), d, tools, where);
  if ('intersection' in d) return withExclude(intersection(list(d.intersection, 'intersection', where), tools, where), d, tools, where);
  if ('method' in d) {
    for (const k of Object.keys(d)) if (!FULL_KEYS.has(k)) throw new Error(`${where}: '${k}' is not a key of a method definition (${[...FULL_KEYS].join(', ')})`);
    const depth = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
    const up = d.parents === true ? `${depth(d.parents_depth)}+` : '';
    const down = d.children === true ? `+${depth(d.children_depth)}` : '';
    const atom = `${d.childrens_parents === true ? '@' : up}${String(d.method)}:${String(d.value)}${d.childrens_parents === true ? '' : down}`;
    return withExclude(tools.atom(atom), d, tools, where);
  }
  const keys = Object.keys(d);
  if (keys.length === 1) return tools.atom(`${keys[0]}:${String(d[keys[0]!])}`);
  throw new Error(`${where}: write one method: value pair, or method: and value: keys, or union:/intersection:`);
}

function list(v: unknown, key: string, where: string): unknown[] {
  if (!Array.isArray(v)) throw new Error(`${where}: ${key}: takes a list`);
  return v;
}

const isExclude = (item: unknown): item is { exclude: unknown } => !!item && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length === 1 && 'exclude' in item;

function excluded(item: { exclude: unknown }, tools: SelectorTools, where: string): Set<string> {
  return union(Array.isArray(item.exclude) ? item.exclude : [item.exclude], tools, where);
}

function union(items: unknown[], tools: SelectorTools, where: string): Set<string> {
  const out = new Set<string>();
  const drop = new Set<string>();
  for (const item of items) {
    if (isExclude(item)) for (const id of excluded(item, tools, where)) drop.add(id);
    else for (const id of definitionIds(item, tools, where)) out.add(id);
  }
  for (const id of drop) out.delete(id);
  return out;
}

function intersection(items: unknown[], tools: SelectorTools, where: string): Set<string> {
  let acc: Set<string> | undefined;
  const drop = new Set<string>();
  for (const item of items) {
    if (isExclude(item)) {
      for (const id of excluded(item, tools, where)) drop.add(id);
      continue;
    }
    const s = definitionIds(item, tools, where);
    acc = acc ? new Set([...acc].filter((x) => s.has(x))) : s;
  }
  const out = acc ?? new Set<string>();
  for (const id of drop) out.delete(id);
  return out;
}

/** An `exclude:` key beside a method or set operator takes its nodes out. */
function withExclude(ids: Set<string>, d: Record<string, unknown>, tools: SelectorTools, where: string): Set<string> {
  if (d.exclude === undefined) return ids;
  for (const id of excluded({ exclude: d.exclude }, tools, where)) ids.delete(id);
  return ids;
}
