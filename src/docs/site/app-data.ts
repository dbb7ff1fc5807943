import type { SiteData, SiteNode } from '../site-types.js';

/** Resource types drawn in the lineage graph (tests and macros are listed on pages, not drawn). */
export const GRAPH_TYPES = new Set(['model', 'seed', 'snapshot', 'source', 'exposure', 'landing', 'analysis']);

/** dbt's `docs: {show: false}`: the node is left out of the tree, the search and the graph (its page still opens by link). */
export function hiddenInDocs(n: SiteNode): boolean {
  return (n.config.docs as { show?: unknown } | undefined)?.show === false;
}

/** dbt's `docs: {node_color}`: a colour name or #hex code for the node in the graph; anything else is ignored. */
export function nodeColor(n: SiteNode): string | undefined {
  const c = (n.config.docs as { node_color?: unknown } | undefined)?.node_color;
  return typeof c === 'string' && /^(#[0-9a-f]{3,8}|[a-z]{3,30})$/i.test(c) ? c : undefined;
}

/** A node's name as the site shows it: a model version as `name (v2)`, as dbt's docs, so that versions differ. */
export function displayName(n: SiteNode): string {
  return n.extra.version !== undefined && n.extra.version !== null ? `${n.name} (v${String(n.extra.version)})` : n.name;
}

/** The embedded data with the lookups every view needs. */
export class AppData {
  readonly byId = new Map<string, SiteNode>();
  sqlLoaded = false;
  /** Lower-cased text per node for search: name, description, columns, tags, SQL. */
  readonly searchText: { node: SiteNode; name: string; columns: string; tags: string; description: string; sql: string }[] = [];

  /** The nodes the tree, the search and the graph show: all but those with `docs: {show: false}`. */
  readonly listed: SiteNode[];

  constructor(readonly data: SiteData) {
    this.listed = data.nodes.filter((n) => !hiddenInDocs(n));
    for (const n of data.nodes) this.byId.set(n.id, n);
    for (const n of this.listed) {
      this.searchText.push({
        node: n,
        name: n.name.toLowerCase(),
        columns: n.columns.map((c) => `${c.name} ${c.description}`).join('\n').toLowerCase(),
        tags: n.tags.join(' ').toLowerCase(),
        description: n.description.toLowerCase(),
        sql: '',
      });
    }
  }

  /** Joins in data-sql.js (loaded after first paint): raw and compiled SQL by id, searchable from then on. */
  attachSql(sql: Record<string, [string | null, string | null]>): void {
    for (const s of this.searchText) {
      const pair = sql[s.node.id];
      if (!pair) continue;
      if (pair[0] !== null) s.node.raw = pair[0];
      if (pair[1] !== null) s.node.compiled = pair[1];
      s.sql = `${pair[0] ?? ''}\n${pair[1] ?? ''}`.toLowerCase();
    }
    this.sqlLoaded = true;
  }

  node(id: string): SiteNode | undefined {
    return this.byId.get(id);
  }

  /** The selector that shows a node with its neighbours in the graph, as dbt's docs do. */
  selectorFor(n: SiteNode): string | undefined {
    if (n.type === 'source') return `+source:${String(n.extra.sourceName)}.${n.name}+`;
    if (n.type === 'exposure') return `+exposure:${n.name}`;
    if (GRAPH_TYPES.has(n.type)) return `+${n.name}+`;
    const parent = n.parents.map((p) => this.byId.get(p)).find((p) => p && GRAPH_TYPES.has(p.type));
    return parent ? this.selectorFor(parent) : undefined;
  }
}

export interface SearchHit {
  node: SiteNode;
  /** What matched: name, column, tag, description or sql. */
  field: string;
  score: number;
}

/** Search over names, columns, tags, descriptions and SQL; best first, at most `limit`. */
export function search(app: AppData, query: string, limit = 50): SearchHit[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const hits: SearchHit[] = [];
  for (const s of app.searchText) {
    let hit: SearchHit | undefined;
    if (s.name === q) hit = { node: s.node, field: 'name', score: 0 };
    else if (s.name.startsWith(q)) hit = { node: s.node, field: 'name', score: 1 };
    else if (s.name.includes(q)) hit = { node: s.node, field: 'name', score: 2 };
    else if (s.columns.includes(q)) hit = { node: s.node, field: 'column', score: 3 };
    else if (s.tags.includes(q)) hit = { node: s.node, field: 'tag', score: 4 };
    else if (s.description.includes(q)) hit = { node: s.node, field: 'description', score: 5 };
    else if (s.sql.includes(q)) hit = { node: s.node, field: 'sql', score: 6 };
    if (hit) {
      // Tests and macros after the resources people look for.
      if (!GRAPH_TYPES.has(hit.node.type)) hit.score += 0.5;
      hits.push(hit);
    }
  }
  hits.sort((a, b) => a.score - b.score || a.node.name.length - b.node.name.length || (a.node.name < b.node.name ? -1 : 1));
  return hits.slice(0, limit);
}
