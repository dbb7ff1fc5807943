import { identList, identName, objectNameParts, variant, type Ast } from './ast.js';
import { exprOrigins, type ExprEnv } from './expression-origins.js';
import { mergeOrigins, type OutColumn, type Shape } from './origins.js';
import { SelectScope, type FromItem } from './select-scope.js';
import type { ModelTrace } from './model-trace.js';
import { projectionColumns } from './projection.js';

/** CTEs visible at a point of the query, by lower-cased name. */
export type Ctes = Map<string, Shape>;

/** A query (`with … select …`, a set operation, a parenthesized query) → the columns it returns. */
export function evalQuery(query: Ast, trace: ModelTrace, ctes: Ctes, parent?: SelectScope): Shape {
  let env = ctes;
  const withClause = query?.with;
  if (withClause) {
    env = new Map(ctes);
    if (withClause.recursive) trace.problem('a recursive CTE is not traced');
    for (const cte of withClause.cte_tables ?? []) {
      const name = identName(cte.alias?.name);
      // A recursive CTE reads itself: that read is known to be the CTE, whose lineage is not followed.
      if (withClause.recursive) env.set(name, { columns: [], open: () => [] });
      const ephemeral = trace.registry.ephemeralFor(name);
      // An inlined ephemeral model is read as that model, so its columns keep their own lineage.
      const shape = ephemeral ? trace.registry.shapeOf(ephemeral) : evalQuery(cte.query, trace, env, parent);
      env.set(name, renamed(shape, cte.alias?.columns, trace));
    }
  }
  return evalSetExpr(query?.body, trace, env, parent);
}

function evalSetExpr(body: Ast, trace: ModelTrace, ctes: Ctes, parent?: SelectScope): Shape {
  const [tag, payload] = variant(body) ?? ['?', undefined];
  switch (tag) {
    case 'Select':
      return evalSelect(payload, trace, ctes, parent);
    case 'Query':
      return evalQuery(payload, trace, ctes, parent);
    case 'SetOperation':
      return setOperation(payload, trace, ctes, parent);
    case 'Values': {
      const rows: Ast[][] = payload?.rows ?? [];
      const scope = new SelectScope(trace, parent);
      const env: ExprEnv = { scope, subquery: (q, s) => evalQuery(q, trace, ctes, s) };
      const width = rows[0]?.length ?? 0;
      const columns: OutColumn[] = [];
      for (let i = 0; i < width; i++) columns.push({ name: `col${i}`, origins: mergeOrigins(...rows.map((r) => exprOrigins(r[i], env))) });
      return { columns };
    }
    default:
      trace.problem(`a ${tag} query is not traced`);
      return { columns: [] };
  }
}

/** UNION / INTERSECT / EXCEPT: columns line up by position (by name for DuckDB's `UNION BY NAME`). */
function setOperation(op: Ast, trace: ModelTrace, ctes: Ctes, parent?: SelectScope): Shape {
  const left = evalSetExpr(op.left, trace, ctes, parent);
  const right = evalSetExpr(op.right, trace, ctes, parent);
  const byName = /ByName/.test(String(op.set_quantifier ?? ''));
  if (byName) {
    const columns = left.columns.map((c) => ({ name: c.name, origins: mergeOrigins(c.origins, right.columns.find((r) => r.name === c.name)?.origins ?? []) }));
    for (const r of right.columns) if (!columns.some((c) => c.name === r.name)) columns.push(r);
    const open = left.open && right.open ? (name: string) => { const a = left.open!(name); const b = right.open!(name); return a || b ? mergeOrigins(a ?? [], b ?? []) : undefined; } : undefined;
    return open ? { columns, open, openReason: left.openReason ?? right.openReason } : { columns };
  }
  if (left.open || right.open) trace.problem(`a ${String(op.op).toUpperCase()} over ${left.openReason ?? right.openReason ?? 'a relation whose columns are unknown'} cannot be lined up by position`);
  else if (left.columns.length !== right.columns.length) trace.problem(`the two sides of a ${String(op.op).toUpperCase()} have ${left.columns.length} and ${right.columns.length} columns`);
  return { columns: left.columns.map((c, i) => ({ name: c.name, origins: mergeOrigins(c.origins, right.columns[i]?.origins ?? []) })) };
}

function evalSelect(select: Ast, trace: ModelTrace, ctes: Ctes, parent?: SelectScope): Shape {
  const scope = new SelectScope(trace, parent);
  const windows = new Map<string, Ast>();
  for (const w of select.named_window ?? []) {
    const [name, spec] = Array.isArray(w) ? w : [w?.name ?? w?.[0], w?.spec ?? w?.[1]];
    windows.set(identName(name), variant(spec)?.[1] ?? spec);
  }
  const env: ExprEnv = { scope, windows, subquery: (q, s) => evalQuery(q, trace, ctes, s) };
  for (const twj of select.from ?? []) addTableWithJoins(twj, scope, env, ctes);
  const shape = projectionColumns(select.projection ?? [], env);
  for (const clause of [select.selection, select.having, select.qualify, select.prewhere]) {
    if (clause) trace.use(exprOrigins(clause, env), 'filter');
  }
  return shape;
}

function addTableWithJoins(twj: Ast, scope: SelectScope, env: ExprEnv, ctes: Ctes): void {
  for (const item of fromItems(twj.relation, scope, env, ctes)) scope.items.push(item);
  for (const join of twj.joins ?? []) {
    const right = fromItems(join.relation, scope, env, ctes);
    const before = [...scope.items];
    scope.items.push(...right);
    const constraint = joinConstraint(join.join_operator);
    if (constraint?.On) scope.trace.use(exprOrigins(constraint.On, env), 'join_key');
    if (constraint?.Using) {
      for (const name of identList(constraint.Using)) {
        const leftItem = before.find((i) => i.shape.columns.some((c) => c.name === name)) ?? before.find((i) => i.shape.open);
        const rightItem = right.find((i) => i.shape.columns.some((c) => c.name === name) || i.shape.open);
        const prior = scope.using.get(name) ?? (leftItem ? [leftItem] : []);
        scope.using.set(name, rightItem ? [...prior, rightItem] : prior);
        scope.trace.use(scope.resolve([name]) ?? [], 'join_key');
      }
    }
    if (constraint?.Natural) scope.trace.problem('a NATURAL JOIN is not traced');
  }
}

/** `{Left: {On: e}}`, `{Join: {Using: […]}}`, `{CrossJoin: "None"}`, `{AsOf: {constraint}}` → the constraint. */
function joinConstraint(op: Ast): { On?: Ast; Using?: Ast; Natural?: true } | undefined {
  const payload = variant(op)?.[1];
  const c = payload?.constraint ?? payload;
  if (c === 'Natural') return { Natural: true };
  return c && typeof c === 'object' ? c : undefined;
}

function fromItems(relation: Ast, scope: SelectScope, env: ExprEnv, ctes: Ctes): FromItem[] {
  const [tag, r] = variant(relation) ?? ['?', undefined];
  const trace = scope.trace;
  const aliasName = r?.alias?.name ? identName(r.alias.name) : undefined;
  switch (tag) {
    case 'Table': {
      const parts = objectNameParts(r.name);
      if (r.args) {
        trace.problem(`the table function ${parts.join('.')}() is not traced`);
        return [{ alias: aliasName ?? parts[parts.length - 1]!, shape: { columns: [], open: () => [] } }];
      }
      const cte = parts.length === 1 ? ctes.get(parts[0]!) : undefined;
      const node = cte ? undefined : trace.registry.tableFor(parts, trace.parents);
      let shape: Shape;
      if (cte) shape = cte;
      else if (node) shape = trace.registry.shapeOf(node.uniqueId);
      else {
        trace.problem(`it reads ${parts.join('.')}, which is not a model, seed, snapshot or source of the project`);
        shape = { columns: [], open: () => [] };
      }
      return [{ alias: aliasName ?? parts[parts.length - 1]!, tableParts: parts, shape: renamed(shape, r.alias?.columns, trace) }];
    }
    case 'Derived': {
      const shape = evalQuery(r.subquery, trace, ctes, r.lateral ? scope : scope.parent);
      return [{ alias: aliasName ?? '', shape: renamed(shape, r.alias?.columns, trace) }];
    }
    case 'NestedJoin': {
      const inner = new SelectScope(trace, scope.parent);
      addTableWithJoins(r.table_with_joins, inner, { ...env, scope: inner }, ctes);
      if (!aliasName) return inner.items;
      return [{ alias: aliasName, shape: { columns: inner.items.flatMap((i) => i.shape.columns) } }];
    }
    case 'UNNEST': {
      const origins = mergeOrigins(...(r.array_exprs ?? []).map((e: Ast) => exprOrigins(e, env))).map((o) => ({ ...o, rank: 2 as const }));
      const names = r.alias?.columns?.length ? identList(r.alias.columns.map((c: Ast) => c.name ?? c)) : [aliasName ?? 'unnest'];
      const columns: OutColumn[] = names.map((name) => ({ name, origins }));
      if (r.with_offset_alias) columns.push({ name: identName(r.with_offset_alias), origins: [] });
      return [{ alias: aliasName ?? 'unnest', shape: { columns } }];
    }
    default:
      trace.problem(`a FROM item of kind ${tag} is not traced`);
      return [{ alias: aliasName ?? tag, shape: { columns: [], open: () => [] } }];
  }
}

/** `cte(a, b)` / `t AS x(a, b)`: column aliases rename by position. */
function renamed(shape: Shape, columns: Ast[] | undefined, trace: ModelTrace): Shape {
  if (!columns?.length) return shape;
  const names = columns.map((c) => identName(c?.name ?? c));
  if (shape.open) trace.problem(`column aliases (${names.join(', ')}) over ${shape.openReason ?? 'a relation whose columns are unknown'} cannot be lined up`);
  return { columns: shape.columns.map((c, i) => ({ ...c, name: names[i] ?? c.name })) };
}
