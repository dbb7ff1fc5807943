import type { ColumnRef, LineageStep } from './column-graph.js';

/** `model.p.fct` → `fct`; a source → `source landing.customers`; a seed → `seed raw_x`. */
export function nodeLabel(id: string): string {
  const [type, , ...rest] = id.split('.');
  return type === 'model' ? rest.join('.') : `${type} ${rest.join('.')}`;
}

/** `model.p.fct` and `x` → `fct.x`; a source's column → `source landing.customers.email`. */
export function columnLabel(ref: ColumnRef): string {
  return `${nodeLabel(ref.node)}.${ref.column}`;
}

/** A lineage tree as text, one column per line, with how each derives from the line above it. */
export function formatLineageTree(root: ColumnRef, steps: LineageStep[]): string[] {
  const lines = [columnLabel(root)];
  const walk = (list: LineageStep[], indent: string): void => {
    list.forEach((s, i) => {
      const last = i === list.length - 1;
      lines.push(`${indent}${last ? '└── ' : '├── '}${columnLabel(s)}  [${s.kind}]${s.seen ? ' (see above)' : ''}`);
      walk(s.children, indent + (last ? '    ' : '│   '));
    });
  };
  walk(steps, '');
  return lines;
}
