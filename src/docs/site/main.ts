import type { SiteData, SiteNode } from '../site-types.js';
import { AppData, GRAPH_TYPES, hiddenInDocs } from './app-data.js';
import { ColumnLineage } from './column-lineage.js';
import { byId, h } from './dom.js';
import { GraphSelector } from './graph-select.js';
import { layoutGraph } from './graph-layout.js';
import { GraphView } from './graph-view.js';
import { folderTree, layerTree, renderTree } from './nav-tree.js';
import { nodeHref, renderHome, renderNodePage, sqlSection } from './node-page.js';
import { wireSearch } from './search-box.js';

/** Above this many selected nodes the graph asks for a narrower selector instead of freezing the tab. */
const MAX_DRAWN = 1500;
/** A project this small is drawn whole on the home page. */
const DRAW_ALL_UP_TO = 300;

/** What tests and the benchmark read: when the app was ready and how long the last graph took. */
interface DocsProbe {
  ready: boolean;
  readyMs: number;
  sqlLoaded?: boolean;
  lastGraph?: { selector: string; nodes: number; ms: number; selectMs?: number; layoutMs?: number };
  /** Milliseconds since navigation when each start-up phase ended. */
  phases: Record<string, number>;
  errors: string[];
}

declare global {
  interface Window {
    __STRATA_DOCS__?: SiteData;
    __strataDocsProbe?: DocsProbe;
    __STRATA_DOCS_SQL__?: Record<string, [string | null, string | null]>;
    /** Set by `docs generate --static`'s one-file page: where data-sql.js is (a data: URL). */
    __STRATA_DOCS_SQL_SRC__?: string;
  }
}

class App {
  readonly app: AppData;
  readonly lineage: ColumnLineage | undefined;
  private readonly selector: GraphSelector;
  private readonly graph: GraphView;
  private readonly input = byId<HTMLInputElement>('selector');
  private readonly status = byId('graph-status');
  private current = '';

  constructor(data: SiteData, private readonly probe: DocsProbe) {
    this.app = new AppData(data);
    this.lineage = data.lineage ? new ColumnLineage(data.lineage) : undefined;
    this.selector = new GraphSelector(this.app, data.lineage);
    this.graph = new GraphView(document.getElementById('graph') as unknown as SVGSVGElement, this.app, (id) => this.open(id));
  }

  start(): void {
    byId('project-name').textContent = this.app.data.projectName;
    const nav = byId('nav-tree');
    const tabs = [...document.querySelectorAll<HTMLButtonElement>('#nav-tabs button')];
    const show = (mode: string) => {
      for (const t of tabs) t.classList.toggle('active', t.dataset.mode === mode);
      renderTree(mode === 'layer' ? layerTree(this.app) : folderTree(this.app), nav);
    };
    for (const t of tabs) t.addEventListener('click', () => show(t.dataset.mode!));
    show('folder');
    wireSearch(this.app, byId<HTMLInputElement>('search'), byId('search-results'), (id) => this.open(id));
    byId('selector-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.draw(this.input.value);
    });
    byId('zoom-in').addEventListener('click', () => this.graph.zoom(1.25));
    byId('zoom-out').addEventListener('click', () => this.graph.zoom(0.8));
    byId('zoom-fit').addEventListener('click', () => this.graph.fit());
    byId('graph-expand').addEventListener('click', () => {
      document.body.classList.toggle('graph-expanded');
      this.graph.fit();
    });
    window.addEventListener('hashchange', () => this.route());
    this.route();
  }

  /** Loads data-sql.js with a script tag (works from file://, where fetch does not). */
  loadSql(): void {
    const script = document.createElement('script');
    // Beside data.js: target/index.html loads the site's files from docs/.
    const data = document.querySelector<HTMLScriptElement>('script[src$="data.js"]')?.src;
    script.src = window.__STRATA_DOCS_SQL_SRC__ ?? (data ? new URL('data-sql.js', data).href : 'data-sql.js');
    script.onload = () => {
      this.app.attachSql(window.__STRATA_DOCS_SQL__ ?? {});
      this.probe.sqlLoaded = true;
      const pending = document.querySelector('#page .sql-pending');
      const id = document.querySelector<HTMLElement>('#page article.page')?.dataset.id;
      const n = id ? this.app.node(id) : undefined;
      if (pending && n) {
        const section = sqlSection(this.app, n);
        if (section) pending.replaceWith(section);
        else pending.remove();
      }
    };
    script.onerror = () => document.querySelector('#page .sql-pending p')?.replaceChildren('data-sql.js did not load: run `strata docs generate` again');
    document.body.append(script);
  }

  open(id: string): void {
    const href = nodeHref(id);
    if (location.hash === href) this.route();
    else location.hash = href;
  }

  private route(): void {
    const hash = decodeURIComponent(location.hash.slice(1));
    const page = byId('page');
    if (hash.startsWith('/n/')) {
      const n = this.app.node(hash.slice(3));
      if (n) {
        page.replaceChildren(renderNodePage(this.app, n, this.lineage, { onColumn: (node, col) => this.columnPath(node, col) }));
        page.scrollTop = 0;
        document.title = `${n.name} · ${this.app.data.projectName} docs`;
        for (const el of document.querySelectorAll('#nav-tree a.current')) el.classList.remove('current');
        document.querySelector(`#nav-tree a[data-id="${CSS.escape(n.id)}"]`)?.classList.add('current');
        const sel = this.app.selectorFor(n);
        if (sel && sel !== this.current) this.draw(sel, n.id);
        return;
      }
      page.replaceChildren(h('p', { className: 'muted' }, `No resource ${hash.slice(3)} in this project.`));
      return;
    }
    if (hash.startsWith('/select/')) {
      this.draw(hash.slice(8));
      return;
    }
    page.replaceChildren(renderHome(this.app));
    if (!this.current) {
      const drawable = this.app.data.nodes.filter((n) => GRAPH_TYPES.has(n.type)).length;
      if (drawable <= DRAW_ALL_UP_TO) this.draw('* source:* exposure:*');
      else this.status.textContent = `${drawable.toLocaleString()} nodes: type a selector (e.g. +name+, tag:gold) or open a page to draw its lineage`;
    }
  }

  /** Selects, lays out and draws; the figures go to the probe. */
  draw(text: string, focus?: string): void {
    const t0 = performance.now();
    this.input.value = text;
    this.current = text;
    const selected = this.selector.select(text);
    const { errors, warnings } = selected;
    // dbt's `docs: {show: false}` nodes are not drawn, as in dbt's docs.
    const ids = selected.ids.filter((id) => { const n = this.app.node(id); return !n || !hiddenInDocs(n); });
    const t1 = performance.now();
    // A refused selection clears the graph: the last one left on screen would read as its result.
    if (errors.length) {
      this.graph.clear();
      this.status.textContent = `Nothing drawn: ${errors.join('; ')}`;
      this.status.className = 'error';
      return;
    }
    this.status.className = '';
    if (ids.length > MAX_DRAWN) {
      this.graph.clear();
      this.status.textContent = `Nothing drawn: ${ids.length.toLocaleString()} nodes selected; narrow the selector to draw at most ${MAX_DRAWN.toLocaleString()}`;
      return;
    }
    if (!ids.length) {
      this.graph.clear();
      this.status.textContent = `0 nodes: the selector matches no model, seed, snapshot, source or exposure${warnings.length ? ` · ${warnings.join('; ')}` : ''}`;
      this.probe.lastGraph = { selector: text, nodes: 0, ms: performance.now() - t0 };
      return;
    }
    const layout = layoutGraph(this.app, ids);
    const t2 = performance.now();
    this.graph.render(layout, focus);
    // A big neighbourhood fits only at a scale too small to read: start near the node instead.
    if (focus && this.graph.transform.k < 0.5) {
      this.graph.zoom(0.8 / this.graph.transform.k);
      this.graph.center(focus);
    }
    const ms = performance.now() - t0;
    this.status.textContent = `${ids.length.toLocaleString()} node${ids.length === 1 ? '' : 's'}${warnings.length ? ` · ${warnings.join('; ')}` : ''}`;
    this.probe.lastGraph = { selector: text, nodes: ids.length, ms, selectMs: t1 - t0, layoutMs: t2 - t1 };
  }

  /** Draws only the nodes on a column's path, with the columns named, and lights the path. */
  columnPath(n: SiteNode, column: string): void {
    if (!this.lineage) return;
    const t0 = performance.now();
    const path = this.lineage.path(n.id, column);
    for (const tr of document.querySelectorAll('#page table.columns tr')) tr.classList.toggle('active', (tr as HTMLElement).dataset.column === column);
    const columns = new Map<string, string[]>();
    for (const key of path.columns) {
      const id = key.split('\u0000')[0]!;
      columns.set(id, [...(columns.get(id) ?? []), path.names.get(key) ?? key.split('\u0000')[1]!]);
    }
    const ids = this.app.data.nodes.filter((x) => path.nodes.has(x.id) && GRAPH_TYPES.has(x.type)).map((x) => x.id);
    this.graph.render(layoutGraph(this.app, ids, columns), n.id);
    this.graph.showColumnPath(path);
    this.current = '';
    this.status.className = 'column-path';
    this.status.replaceChildren(`column ${n.name}.${column}: ${path.columns.size} columns in ${ids.length} nodes `, h('button', { className: 'link', onclick: () => this.draw(this.app.selectorFor(n) ?? '', n.id) }, 'back to the selector'));
    this.probe.lastGraph = { selector: `column:${n.name}.${column}`, nodes: ids.length, ms: performance.now() - t0 };
  }
}

function boot(): void {
  const probe: DocsProbe = { ready: false, readyMs: 0, errors: [], phases: { script: performance.now() } };
  window.__strataDocsProbe = probe;
  const data = window.__STRATA_DOCS__;
  if (!data) {
    byId('page').textContent = 'data.js is missing or failed to load: run `strata docs generate` again.';
    return;
  }
  const app = new App(data, probe);
  probe.phases.indexed = performance.now();
  app.start();
  probe.ready = true;
  probe.readyMs = performance.now();
  // After the first frame, so the SQL never delays the first paint.
  requestAnimationFrame(() => setTimeout(() => app.loadSql(), 0));
}

boot();
