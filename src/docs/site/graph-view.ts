import { displayName, nodeColor, type AppData } from './app-data.js';
import type { Layout } from './graph-layout.js';
import type { ColumnPath } from './column-lineage.js';
import { escapeHtml } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

function edgePath(points: { x: number; y: number }[]): string {
  if (points.length < 2) return '';
  const [first, ...rest] = points;
  let d = `M${first!.x},${first!.y}`;
  if (rest.length === 1) return `${d} L${rest[0]!.x},${rest[0]!.y}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const c = rest[i]!;
    const next = rest[i + 1]!;
    const mid = i === rest.length - 2 ? next : { x: (c.x + next.x) / 2, y: (c.y + next.y) / 2 };
    d += ` Q${c.x},${c.y} ${mid.x},${mid.y}`;
  }
  return d;
}

/** The lineage graph: an SVG with pan (drag), zoom (wheel, buttons), hover to highlight paths, click to open. */
export class GraphView {
  private readonly viewport: SVGGElement;
  private view = { x: 0, y: 0, k: 1 };
  private layout: Layout | undefined;
  private nodeEls = new Map<string, SVGGElement>();
  private edgeEls: { from: string; to: string; el: SVGPathElement }[] = [];

  constructor(private readonly root: SVGSVGElement, private readonly app: AppData, private readonly onOpen: (id: string) => void) {
    this.viewport = svg('g', { class: 'viewport' });
    root.append(this.viewport);
    this.enablePanZoom();
    this.wireNodeEvents();
  }

  /**
   * Draws a layout. The SVG is built as one string (far faster than an element per call for hundreds of
   * nodes) and the nodes' events are handled once on the root.
   */
  render(layout: Layout, focus?: string): void {
    this.layout = layout;
    this.root.classList.remove('hovering', 'path-mode');
    const esc = (t: string) => escapeHtml(t);
    let edges = '';
    for (const e of layout.edges) edges += `<path class="edge" marker-end="url(#arrow)" data-from="${esc(e.from)}" data-to="${esc(e.to)}" d="${edgePath(e.points)}"></path>`;
    let nodes = '';
    for (const n of layout.nodes) {
      const node = this.app.node(n.id)!;
      const cls = `gnode type-${node.type}${node.layer ? ` layer-${node.layer}` : ''}${n.id === focus ? ' focus' : ''}`;
      let cols = '';
      n.columns.forEach((c, i) => (cols += `<text x="18" y="${19 + (i + 1) * 16}" class="gcol">· ${esc(c)}</text>`));
      nodes += `<g class="${cls}" data-id="${esc(n.id)}" transform="translate(${n.x - n.width / 2},${n.y - n.height / 2})" tabindex="0" role="button" aria-label="${esc(`${node.type} ${displayName(node)}`)}"><rect width="${n.width}" height="${n.height}" rx="6"${nodeColor(node) ? ` style="fill:${esc(nodeColor(node)!)}"` : ''}></rect><text x="12" y="19">${esc(n.label)}</text>${cols}</g>`;
    }
    this.viewport.innerHTML = `<g class="edges">${edges}</g><g class="nodes">${nodes}</g>`;
    this.nodeEls = new Map([...this.viewport.querySelectorAll<SVGGElement>('.gnode')].map((el) => [el.dataset.id!, el]));
    this.edgeEls = [...this.viewport.querySelectorAll<SVGPathElement>('.edge')].map((el) => ({ from: el.dataset.from!, to: el.dataset.to!, el }));
    this.fit();
  }

  /** Removes the drawn graph: a refused selection must not leave the last one on screen as if it were its result. */
  clear(): void {
    this.layout = undefined;
    this.root.classList.remove('hovering', 'path-mode');
    this.viewport.replaceChildren();
    this.nodeEls = new Map();
    this.edgeEls = [];
  }

  private wireNodeEvents(): void {
    const idOf = (ev: Event) => ((ev.target as Element).closest?.('.gnode') as SVGGElement | null)?.dataset.id;
    let hovered: string | undefined;
    this.root.addEventListener('click', (ev) => {
      const id = idOf(ev);
      if (id) this.onOpen(id);
    });
    this.root.addEventListener('keydown', (ev) => {
      const id = idOf(ev);
      if (id && ev.key === 'Enter') this.onOpen(id);
    });
    this.root.addEventListener('mouseover', (ev) => {
      const id = idOf(ev);
      if (id !== hovered) this.hover((hovered = id));
    });
    this.root.addEventListener('mouseleave', () => this.hover((hovered = undefined)));
  }

  /** Lights the nodes and edges on a column's path; dims the rest. */
  showColumnPath(path: ColumnPath | undefined): void {
    this.root.classList.toggle('path-mode', !!path);
    for (const [id, el] of this.nodeEls) el.classList.toggle('on-path', !!path?.nodes.has(id));
    const pairs = new Set((path?.edges ?? []).map(([a, b]) => `${a.split('\u0000')[0]}\u0000${b.split('\u0000')[0]}`));
    for (const e of this.edgeEls) e.el.classList.toggle('on-path', pairs.has(`${e.from}\u0000${e.to}`));
  }

  private hover(id: string | undefined): void {
    this.root.classList.toggle('hovering', !!id);
    if (!id) {
      for (const el of this.nodeEls.values()) el.classList.remove('lit');
      for (const e of this.edgeEls) e.el.classList.remove('lit');
      return;
    }
    const lit = new Set([id]);
    const walk = (start: string, next: (x: string) => string[]) => {
      const stack = [start];
      while (stack.length) for (const n of next(stack.pop()!)) if (this.nodeEls.has(n) && !lit.has(n)) {
        lit.add(n);
        stack.push(n);
      }
    };
    walk(id, (x) => this.app.node(x)!.parents);
    walk(id, (x) => this.app.node(x)!.children);
    for (const [nid, el] of this.nodeEls) el.classList.toggle('lit', lit.has(nid));
    for (const e of this.edgeEls) e.el.classList.toggle('lit', lit.has(e.from) && lit.has(e.to));
  }

  fit(): void {
    // An empty layout has no finite size: nothing to fit.
    if (!this.layout || !this.layout.nodes.length || !Number.isFinite(this.layout.width) || !Number.isFinite(this.layout.height)) return;
    const box = this.root.getBoundingClientRect();
    const k = Math.min(1.5, Math.max(0.05, Math.min(box.width / (this.layout.width || 1), box.height / (this.layout.height || 1))));
    this.view = { k, x: (box.width - this.layout.width * k) / 2, y: (box.height - this.layout.height * k) / 2 };
    this.apply();
  }

  zoom(factor: number, cx?: number, cy?: number): void {
    const box = this.root.getBoundingClientRect();
    const x = cx ?? box.width / 2;
    const y = cy ?? box.height / 2;
    const k = Math.min(4, Math.max(0.02, this.view.k * factor));
    this.view = { k, x: x - ((x - this.view.x) * k) / this.view.k, y: y - ((y - this.view.y) * k) / this.view.k };
    this.apply();
  }

  /** Moves the view so that a node is in the middle. */
  center(id: string): void {
    const n = this.layout?.nodes.find((x) => x.id === id);
    if (!n) return;
    const box = this.root.getBoundingClientRect();
    this.view = { ...this.view, x: box.width / 2 - n.x * this.view.k, y: box.height / 2 - n.y * this.view.k };
    this.apply();
  }

  get transform(): { x: number; y: number; k: number } {
    return { ...this.view };
  }

  private apply(): void {
    this.viewport.setAttribute('transform', `translate(${this.view.x},${this.view.y}) scale(${this.view.k})`);
  }

  private enablePanZoom(): void {
    let drag: { x: number; y: number; vx: number; vy: number } | undefined;
    this.root.addEventListener('pointerdown', (ev) => {
      if ((ev.target as Element).closest('.gnode')) return;
      drag = { x: ev.clientX, y: ev.clientY, vx: this.view.x, vy: this.view.y };
      this.root.setPointerCapture(ev.pointerId);
      this.root.classList.add('dragging');
    });
    this.root.addEventListener('pointermove', (ev) => {
      if (!drag) return;
      this.view = { ...this.view, x: drag.vx + ev.clientX - drag.x, y: drag.vy + ev.clientY - drag.y };
      this.apply();
    });
    const end = () => {
      drag = undefined;
      this.root.classList.remove('dragging');
    };
    this.root.addEventListener('pointerup', end);
    this.root.addEventListener('pointercancel', end);
    this.root.addEventListener('wheel', (ev) => {
      ev.preventDefault();
      const box = this.root.getBoundingClientRect();
      this.zoom(Math.exp(-ev.deltaY * 0.0015), ev.clientX - box.left, ev.clientY - box.top);
    }, { passive: false });
  }
}
