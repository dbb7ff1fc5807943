import type { SiteColumn, SiteNode } from '../site-types.js';
import { displayName, type AppData } from './app-data.js';
import type { ColumnLineage } from './column-lineage.js';
import { h, type Child } from './dom.js';
import { renderMarkdown } from './markdown.js';
import { highlightSql } from './sql-highlight.js';

export interface PageActions {
  /** A column's name was clicked: light its path in the graph. */
  onColumn(node: SiteNode, column: string): void;
}

export const nodeHref = (id: string) => `#/n/${encodeURIComponent(id)}`;

const md = (text: string, className = 'md') => (text.trim() ? h('div', { className, html: renderMarkdown(text) }) : null);

function link(app: AppData, id: string): HTMLElement {
  const n = app.node(id);
  return n ? h('a', { href: nodeHref(id), className: `ref type-${n.type}` }, h('span', { className: 'badge' }, n.type), ' ', displayName(n)) : h('span', { className: 'ref missing' }, id);
}

function statusBadge(status: string | undefined): HTMLElement | null {
  if (!status) return null;
  const tone = ['success', 'pass'].includes(status) ? 'ok' : ['warn'].includes(status) ? 'warn' : ['skipped', 'no-op'].includes(status) ? 'skip' : 'bad';
  return h('span', { className: `status status-${tone}` }, status);
}

function section(title: string, ...body: (Child | Child[])[]): HTMLElement | null {
  const content = body.flat().filter((c) => c !== null && c !== undefined && c !== false);
  return content.length ? h('section', { className: 'section' }, h('h2', {}, title), ...content) : null;
}

function facts(n: SiteNode): HTMLElement {
  const rows: [string, Child][] = [];
  const add = (k: string, v: unknown) => {
    if (v !== undefined && v !== null && v !== '') rows.push([k, typeof v === 'object' ? JSON.stringify(v) : String(v)]);
  };
  add('relation', n.relation);
  add('materialized', n.config.materialized);
  add('layer', n.layer);
  add('file', n.path);
  add('package', n.packageName);
  for (const k of ['sourceName', 'loader', 'loadedAtField', 'type', 'maturity', 'url', 'label', 'columnName', 'model', 'version']) add(k.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`), n.extra[k]);
  const owner = n.extra.owner as { name?: string; email?: string } | undefined;
  if (owner) add('owner', [owner.name, owner.email].filter(Boolean).join(' · '));
  return h('dl', { className: 'facts' }, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

/** A macro's arguments: the property file's names, types and descriptions (dbt's macro properties), else the signature's names. */
function argumentsSection(n: SiteNode): HTMLElement | null {
  const args = n.type === 'macro' ? (n.extra.arguments as { name: string; type?: string | null; description?: string }[] | undefined) : undefined;
  if (!args?.length) return null;
  return section('Arguments', h('table', { className: 'arguments' },
    h('thead', {}, h('tr', {}, h('th', {}, 'name'), h('th', {}, 'type'), h('th', {}, 'description'))),
    h('tbody', {}, args.map((a) => h('tr', { 'data-argument': a.name }, h('td', {}, h('code', {}, a.name)), h('td', { className: 'arg-type' }, a.type ?? ''), h('td', {}, md(a.description ?? '')))))));
}

function runSection(n: SiteNode): HTMLElement | null {
  const r = n.run;
  if (!r) return null;
  const parts: Child[] = [statusBadge(r.status), ` in ${r.executionTime.toFixed(2)} s`];
  if (r.startedAt) parts.push(` · ${new Date(r.startedAt).toLocaleString()}`);
  if (r.rowsAffected !== undefined) parts.push(` · ${r.rowsAffected.toLocaleString()} rows`);
  if (r.bytesProcessed !== undefined) parts.push(` · ${r.bytesProcessed.toLocaleString()} bytes processed`);
  if (r.failures) parts.push(` · ${r.failures} failing rows`);
  if (r.quarantined) parts.push(` · ${r.quarantined} rows quarantined`);
  if (r.files) parts.push(` · files landed ${r.files.landed ?? 0}, skipped ${r.files.skipped ?? 0}, failed ${r.files.failed ?? 0}`);
  return section('Last run', h('p', { className: 'run' }, ...parts), r.message ? h('p', { className: 'muted' }, r.message) : null);
}

function freshnessSection(n: SiteNode): HTMLElement | null {
  const f = n.extra.freshness as { status?: string; max_loaded_at?: string; snapshotted_at?: string; max_loaded_at_time_ago_in_s?: number } | undefined;
  const criteria = n.extra.freshnessCriteria;
  if (!f && !criteria) return null;
  return section('Freshness',
    f ? h('p', {}, statusBadge(f.status), f.max_loaded_at ? ` last loaded ${f.max_loaded_at}` : '', f.max_loaded_at_time_ago_in_s !== undefined ? ` (${Math.round(f.max_loaded_at_time_ago_in_s / 3600)} h before the check at ${f.snapshotted_at})` : '') : h('p', { className: 'muted' }, 'not checked yet: run `strata source freshness`'),
    criteria ? h('pre', { className: 'config' }, JSON.stringify(criteria, null, 2)) : null);
}

/** A test's past runs as dots, newest last (from strata_dq.test_results). */
function historyDots(app: AppData, id: string): HTMLElement | null {
  const runs = app.data.testHistory?.[id];
  if (!runs?.length) return null;
  return h('span', { className: 'history', title: `last ${runs.length} runs, newest last` }, [...runs].reverse().map((r) => h('span', { className: `dot status-${['pass', 'success'].includes(r.status) ? 'ok' : r.status === 'warn' ? 'warn' : 'bad'}`, title: `${r.status} ${r.startedAt}${r.failures ? ` · ${r.failures} failing` : ''}` })));
}

function historySection(app: AppData, n: SiteNode): HTMLElement | null {
  const runs = app.data.testHistory?.[n.id];
  if (!runs?.length) return null;
  return section('History (strata_dq.test_results)', h('table', { className: 'columns' },
    h('thead', {}, h('tr', {}, h('th', {}, 'started'), h('th', {}, 'status'), h('th', {}, 'failures'), h('th', {}, 'quarantined'), h('th', {}, 'seconds'))),
    h('tbody', {}, runs.map((r) => h('tr', {}, h('td', {}, r.startedAt), h('td', {}, statusBadge(r.status)), h('td', {}, r.failures ?? ''), h('td', {}, r.rowsQuarantined ?? ''), h('td', {}, r.durationSeconds ?? ''))))));
}

function landedSection(app: AppData, n: SiteNode): HTMLElement | null {
  const files = n.type === 'landing' ? app.data.landedFiles?.[n.name] : undefined;
  if (!files?.length) return null;
  return section('Files landed (strata_meta.landed_files)', h('table', { className: 'columns' },
    h('thead', {}, h('tr', {}, h('th', {}, 'file'), h('th', {}, 'status'), h('th', {}, 'rows'), h('th', {}, 'bytes'), h('th', {}, 'loaded at'))),
    h('tbody', {}, files.map((f) => h('tr', {}, h('td', {}, h('code', {}, f.key)), h('td', {}, statusBadge(f.status === 'loaded' ? 'success' : f.status), f.error ? h('div', { className: 'muted' }, f.error) : null), h('td', {}, f.rowCount ?? ''), h('td', {}, f.size ?? ''), h('td', {}, f.loadedAt))))));
}

function testCell(app: AppData, ids: string[]): Child[] {
  return ids.map((id) => {
    const t = app.node(id);
    const meta = t?.extra.testMetadata as { name?: string } | undefined;
    return h('a', { href: nodeHref(id), className: 'test-chip', title: id }, meta?.name ?? t?.name ?? id, ' ', statusBadge(t?.run?.status));
  });
}

function columnsSection(app: AppData, n: SiteNode, lineage: ColumnLineage | undefined, actions: PageActions): HTMLElement | null {
  if (!n.columns.length) return null;
  const lineageNode = lineage?.file.nodes[n.id];
  const edgeList = (edges: { node: string; column: string; kind: string }[]) => edges.map((e) => h('span', { className: 'col-edge' }, h('a', { href: nodeHref(e.node) }, app.node(e.node) ? displayName(app.node(e.node)!) : e.node), `.${e.column}`, h('span', { className: `kind kind-${e.kind}` }, e.kind)));
  const row = (c: SiteColumn) => h('tr', { 'data-column': c.name },
    h('td', {}, lineage ? h('button', { className: 'col-name', title: 'show this column\'s lineage in the graph', onclick: () => actions.onColumn(n, c.name) }, c.name) : h('code', {}, c.name)),
    h('td', { className: 'col-type' }, c.type ?? c.declaredType ?? ''),
    h('td', {}, md(c.description), c.constraints.length ? h('div', { className: 'muted' }, 'constraints: ', JSON.stringify(c.constraints)) : null, c.tags.length ? h('div', { className: 'muted' }, 'tags: ', c.tags.join(', ')) : null),
    h('td', {}, testCell(app, c.tests)),
    lineage ? h('td', { className: 'col-lineage' }, edgeList(lineage.upstreamOf(n.id, c.name)), lineage.downstreamOf(n.id, c.name).length ? h('div', { className: 'muted' }, `→ used by ${lineage.downstreamOf(n.id, c.name).length}`) : null) : null);
  const status = lineageNode ? h('p', { className: `lineage-status lineage-${lineageNode.status}` }, `column lineage: ${lineageNode.status}`, lineageNode.reason ? ` — ${lineageNode.reason}` : '') : lineage && ['model', 'snapshot'].includes(n.type) ? h('p', { className: 'lineage-status' }, 'column lineage: not traced (not in lineage.json)') : null;
  return section('Columns', status, h('table', { className: 'columns' },
    h('thead', {}, h('tr', {}, h('th', {}, 'column'), h('th', {}, 'type'), h('th', {}, 'description'), h('th', {}, 'tests'), lineage ? h('th', {}, 'derived from') : null)),
    h('tbody', {}, n.columns.map(row))));
}

/** The SQL, or a placeholder that main.ts replaces once data-sql.js has loaded. */
export function sqlSection(app: AppData, n: SiteNode): HTMLElement | null {
  if (!app.sqlLoaded) return ['macro', 'model', 'snapshot', 'test', 'analysis'].includes(n.type) ? h('section', { className: 'section sql-pending' }, h('h2', {}, 'SQL'), h('p', { className: 'muted' }, 'loading…')) : null;
  if (!n.raw && !n.compiled) return null;
  const views: [string, string][] = [];
  if (n.raw) views.push([n.type === 'macro' ? 'Source' : 'Raw', n.raw]);
  if (n.compiled) views.push(['Compiled', n.compiled]);
  const code = h('pre', { className: 'sql' }, h('code', { html: highlightSql(views[views.length - 1]![1]) }));
  const tabs = views.map(([label, text], i) => h('button', { className: `tab${i === views.length - 1 ? ' active' : ''}`, onclick: (ev: Event) => {
    code.firstElementChild!.innerHTML = highlightSql(text);
    for (const b of tabs) b.classList.toggle('active', b === ev.currentTarget);
  } }, label));
  const out = section('SQL', h('div', { className: 'tabs' }, tabs), code);
  out?.classList.add('sql-section');
  return out;
}

/** The page of one resource. */
export function renderNodePage(app: AppData, n: SiteNode, lineage: ColumnLineage | undefined, actions: PageActions): HTMLElement {
  const testIds = n.tests;
  const parents = n.parents.filter((p) => app.node(p)?.type !== 'macro');
  // Tests have a section of their own.
  const children = n.children.filter((c) => !['test', 'unit_test'].includes(app.node(c)?.type ?? ''));
  const config = Object.fromEntries(Object.entries(n.config).filter(([, v]) => v !== null && v !== undefined && !(typeof v === 'object' && Object.keys(v as object).length === 0)));
  return h('article', { className: `page type-${n.type}`, 'data-id': n.id },
    h('header', { className: 'page-head' },
      h('h1', {}, displayName(n)),
      h('span', { className: `badge type-${n.type}` }, n.type), n.layer ? h('span', { className: `badge layer-${n.layer}` }, n.layer) : null,
      n.tags.map((t) => h('span', { className: 'tag' }, `#${t}`))),
    facts(n),
    md(n.description) ?? h('p', { className: 'muted' }, 'No description.'),
    n.extra.sourceDescription ? section('Source', md(String(n.extra.sourceDescription))) : null,
    argumentsSection(n),
    runSection(n),
    freshnessSection(n),
    columnsSection(app, n, lineage, actions),
    landedSection(app, n),
    historySection(app, n),
    section('Tests', testIds.length ? h('ul', { className: 'tests' }, testIds.map((id) => h('li', {}, link(app, id), ' ', statusBadge(app.node(id)?.run?.status), ' ', historyDots(app, id)))) : null),
    section('Depends on', parents.length ? h('ul', { className: 'refs' }, parents.map((p) => h('li', {}, link(app, p)))) : null),
    section('Referenced by', children.length ? h('ul', { className: 'refs' }, children.map((c) => h('li', {}, link(app, c)))) : null),
    sqlSection(app, n),
    n.extra.constraints ? section('Constraints', h('pre', { className: 'config' }, JSON.stringify(n.extra.constraints, null, 2))) : null,
    section('Config', Object.keys(config).length ? h('pre', { className: 'config' }, JSON.stringify(config, null, 2)) : null),
    n.extra.meta ? section('Meta', h('pre', { className: 'config' }, JSON.stringify(n.extra.meta, null, 2))) : null);
}

/** The landing page: the project at a glance. */
export function renderHome(app: AppData): HTMLElement {
  const counts = new Map<string, number>();
  for (const n of app.data.nodes) counts.set(n.type, (counts.get(n.type) ?? 0) + 1);
  const failing = app.data.nodes.filter((n) => n.run && !['success', 'pass', 'skipped', 'no-op'].includes(n.run.status));
  return h('article', { className: 'page home' },
    h('h1', {}, app.data.projectName || 'Project'),
    h('p', { className: 'muted' }, `${app.data.adapterType} · generated ${app.data.generatedAt}${app.data.runGeneratedAt ? ` · last run ${app.data.runGeneratedAt}` : ''}`),
    h('ul', { className: 'counts' }, [...counts].map(([t, c]) => h('li', {}, h('strong', {}, c.toLocaleString()), ` ${t}${c === 1 ? '' : 's'}`))),
    h('p', {}, 'Search with ', h('kbd', {}, '/'), ', browse the tree on the left, or type a selector such as ', h('code', {}, '+fct_orders+'), ', ', h('code', {}, 'tag:gold'), ' or ', h('code', {}, '2+name'), ' above the graph.'),
    failing.length ? section('Not passing in the last run', h('ul', { className: 'refs' }, failing.slice(0, 50).map((n) => h('li', {}, link(app, n.id), ' ', statusBadge(n.run?.status))))) : null,
    h('p', { className: 'muted' }, `artifacts: ${app.data.artifacts.join(', ')}`));
}
