import type { SiteNode } from '../site-types.js';
import { displayName, type AppData } from './app-data.js';
import { h } from './dom.js';
import { nodeHref } from './node-page.js';

interface Branch {
  name: string;
  branches: Map<string, Branch>;
  leaves: SiteNode[];
}

const branch = (name: string): Branch => ({ name, branches: new Map(), leaves: [] });

function place(root: Branch, path: string[], node: SiteNode): void {
  let b = root;
  for (const p of path) {
    if (!b.branches.has(p)) b.branches.set(p, branch(p));
    b = b.branches.get(p)!;
  }
  b.leaves.push(node);
}

const FILE_TYPES = new Set(['model', 'seed', 'snapshot', 'analysis']);
const GROUPS: Record<string, string> = { source: 'Sources', landing: 'Landing', exposure: 'Exposures', test: 'Data tests', unit_test: 'Unit tests', macro: 'Macros' };

/** Project files by folder; sources, landing nodes, exposures, tests and macros in groups of their own. */
export function folderTree(app: AppData): Branch {
  const root = branch('');
  for (const n of app.listed) {
    if (FILE_TYPES.has(n.type)) place(root, n.path.split('/').slice(0, -1), n);
    else if (n.type === 'source') place(root, [GROUPS.source!, String(n.extra.sourceName)], n);
    else if (GROUPS[n.type]) place(root, [GROUPS[n.type]!], n);
  }
  return root;
}

/** bronze / silver / gold (then the rest), each by resource type. */
export function layerTree(app: AppData): Branch {
  const root = branch('');
  for (const l of ['bronze', 'silver', 'gold']) root.branches.set(l, branch(l));
  for (const n of app.listed) {
    if (n.type === 'test' || n.type === 'unit_test' || n.type === 'macro') continue;
    place(root, [n.layer ?? 'no layer', n.type], n);
  }
  for (const l of ['bronze', 'silver', 'gold']) if (!root.branches.get(l)!.branches.size) root.branches.delete(l);
  return root;
}

function count(b: Branch): number {
  let c = b.leaves.length;
  for (const x of b.branches.values()) c += count(x);
  return c;
}

/** Renders a branch's children; sub-branches are rendered only when opened, so 10k nodes cost nothing up front. */
function renderChildren(b: Branch, into: HTMLElement): void {
  const list = h('ul', { className: 'tree' });
  for (const sub of [...b.branches.values()]) {
    const details = h('details', {}, h('summary', {}, sub.name, h('span', { className: 'count' }, count(sub).toLocaleString())));
    let filled = false;
    details.addEventListener('toggle', () => {
      if (details.open && !filled) {
        filled = true;
        renderChildren(sub, details);
      }
    });
    list.append(h('li', {}, details));
  }
  for (const n of [...b.leaves].sort((x, y) => (x.name < y.name ? -1 : 1))) {
    list.append(h('li', {}, h('a', { href: nodeHref(n.id), className: `leaf type-${n.type}`, 'data-id': n.id }, displayName(n))));
  }
  into.append(list);
}

export function renderTree(root: Branch, into: HTMLElement): void {
  into.replaceChildren();
  renderChildren(root, into);
}
