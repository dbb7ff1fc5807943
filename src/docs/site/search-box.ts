import { displayName, search, type AppData } from './app-data.js';
import { h } from './dom.js';

/**
 * The search box: results as a list under it, ↑/↓ to move, Enter to open, Escape to close;
 * `/` anywhere on the page focuses it.
 */
export function wireSearch(app: AppData, input: HTMLInputElement, results: HTMLElement, open: (id: string) => void): void {
  let active = 0;
  let hits: ReturnType<typeof search> = [];
  const close = () => {
    results.hidden = true;
    results.replaceChildren();
  };
  const paint = () => {
    results.replaceChildren(...hits.map((hit, i) => h('li', { className: i === active ? 'active' : '', role: 'option', 'aria-selected': i === active ? 'true' : 'false', 'data-id': hit.node.id, onmousedown: (ev: Event) => {
      ev.preventDefault();
      choose(i);
    } }, h('span', { className: `badge type-${hit.node.type}` }, hit.node.type), ' ', h('strong', {}, displayName(hit.node)), h('span', { className: 'muted' }, ` ${hit.field}`))));
    if (!hits.length && input.value.trim()) results.append(h('li', { className: 'muted' }, 'nothing found'));
    results.hidden = !input.value.trim();
    results.querySelector('.active')?.scrollIntoView({ block: 'nearest' });
  };
  const choose = (i: number) => {
    const hit = hits[i];
    if (!hit) return;
    close();
    input.blur();
    open(hit.node.id);
  };
  let timer: number | undefined;
  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      hits = search(app, input.value);
      active = 0;
      paint();
    }, 60);
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      if (!hits.length) return;
      active = (active + (ev.key === 'ArrowDown' ? 1 : hits.length - 1)) % hits.length;
      paint();
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      window.clearTimeout(timer);
      hits = search(app, input.value);
      choose(Math.min(active, hits.length - 1));
    } else if (ev.key === 'Escape') {
      input.value = '';
      close();
      input.blur();
    }
  });
  input.addEventListener('blur', () => window.setTimeout(close, 150));
  document.addEventListener('keydown', (ev) => {
    if (ev.key === '/' && document.activeElement !== input && !(document.activeElement instanceof HTMLInputElement)) {
      ev.preventDefault();
      input.focus();
      input.select();
    }
  });
}
