import type { ColumnRef, LineageStep } from './column-graph.js';

/** `model.p.fct.x` → `fct.x`; a source's column → `source landing.customers.email`; a seed's → `seed raw.x`. */
export function columnLabel(ref: ColumnRef): string {
  const [type, , ...rest] = ref.node.split('.');
  const name = `${rest.join('.')}.${ref.column}`;
  return type === 'model' ? name : `${type} ${name}`;
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
