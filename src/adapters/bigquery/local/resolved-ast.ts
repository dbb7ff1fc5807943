/**
 * Reading ZetaSQL's resolved AST as proto-loader hands it over: every node is a chain of one-of wrappers
 * (`{node: 'resolved_create_statement_node', resolved_create_statement_node: {...}}`), and a node's
 * inherited fields sit in nested `parent` objects.
 */
import type { TableField, TypeProto } from './bigquery-types.js';
import { typeToField } from './bigquery-types.js';

export interface ResolvedNode {
  /** The most specific node kind, e.g. `resolved_create_table_as_select_stmt_node`. */
  kind: string;
  body: any;
}

/** Unwraps the one-of chain down to the concrete node. */
export function leaf(wrapper: any): ResolvedNode | undefined {
  let kind: string | undefined;
  let cur = wrapper;
  while (cur && typeof cur === 'object' && typeof cur.node === 'string' && cur[cur.node]) {
    kind = cur.node;
    cur = cur[cur.node];
  }
  return kind ? { kind, body: cur } : undefined;
}

/** A field of a node, looked up through its `parent` chain (inherited fields). */
export function attr(body: any, key: string): any {
  for (let cur = body; cur && typeof cur === 'object'; cur = cur.parent) if (key in cur) return cur[key];
  return undefined;
}

/** The columns a statement outputs or defines, as REST fields (CTAS, views, CREATE TABLE, queries); an unnamed one is `f0_`, `f1_`, … as BigQuery answers. */
export function outputFields(node: ResolvedNode): TableField[] | undefined {
  const defs = attr(node.body, 'column_definition_list') as { name: string; type: TypeProto }[] | undefined;
  if (defs?.length) return defs.map((d) => typeToField(d.name, d.type));
  const out = attr(node.body, 'output_column_list') as { name: string; column: { type: TypeProto } }[] | undefined;
  let unnamed = 0;
  return out ? out.map((c) => typeToField(ANONYMOUS.test(c.name) ? `f${unnamed++}_` : c.name, c.column.type)) : undefined;
}

/** The analyzer's name of a result column without a name (`$col2`, its position); BigQuery names the n-th such column `f<n-1>_`. */
const ANONYMOUS = /^\$col\d+$/;

/** The type of a resolved expression. */
export function expressionType(wrapper: any): TypeProto | undefined {
  const n = leaf(wrapper);
  return n ? (attr(n.body, 'type') as TypeProto | undefined) : undefined;
}

/**
 * Visits every object of a resolved AST (wrappers, bodies and their `parent` parts alike), depth first, each
 * before its children. `visit` returning `'skip'` leaves the object's children unvisited (it may walk the ones
 * it wants with `eachObject` itself).
 */
export function eachObject(root: unknown, visit: (o: Record<string, any>) => void | 'skip'): void {
  const walk = (x: unknown): void => {
    if (!x || typeof x !== 'object') return;
    if (Array.isArray(x)) return x.forEach(walk);
    const o = x as Record<string, any>;
    if (visit(o) === 'skip') return;
    for (const v of Object.values(o)) walk(v);
  };
  walk(root);
}
