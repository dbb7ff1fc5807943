import { identList, identName, objectNameParts, variant, type Ast } from './ast.js';
import { exprOrigins, exprValue, type ExprEnv } from './expression-origins.js';
import type { Origin, OutColumn, Shape, Value } from './origins.js';
import type { FromItem } from './select-scope.js';

/** The name DuckDB and BigQuery give an unaliased select item that is a column (or a struct field). */
function implicitName(expr: Ast): string | undefined {
  const [tag, body] = variant(expr) ?? [];
  if (tag === 'Identifier') return identName(body);
  if (tag === 'CompoundIdentifier') return identName(body[body.length - 1]);
  if (tag === 'Nested') return implicitName(body);
  if (tag === 'CompoundFieldAccess') {
    const last = body.access_chain?.[body.access_chain.length - 1];
    if (last?.Dot) return implicitName(last.Dot);
  }
  return undefined;
}

/** Prefix of an unnamed select item's placeholder name: no identifier starts with it. */
export const UNNAMED = '?';

interface StarOptions {
  exclude: Set<string>;
  replace: Map<string, Ast>;
  rename: Map<string, string>;
}

/** `* EXCLUDE (…)` (DuckDB), `* EXCEPT (…)` / `* REPLACE (…)` (BigQuery), `* RENAME (…)` (DuckDB). */
function starOptions(opts: Ast, env: ExprEnv): StarOptions {
  const exclude = new Set([...identList(opts?.opt_exclude), ...identList(opts?.opt_except)]);
  const replace = new Map<string, Ast>();
  for (const r of opts?.opt_replace?.items ?? []) replace.set(identName(r.column_name), r.expr);
  const rename = new Map<string, string>();
  const renames = variant(opts?.opt_rename)?.[1];
  for (const r of Array.isArray(renames) ? renames : renames ? [renames] : []) rename.set(identName(r.ident), identName(r.alias));
  if (opts?.opt_ilike) env.scope.trace.problem('a `* ILIKE` pattern is not traced');
  return { exclude, replace, rename };
}

/** The columns a star over `items` selects, and an open lookup when some item's columns are unknown. */
function expandStar(items: FromItem[], opts: StarOptions, env: ExprEnv, usingSeen: Set<string>): { columns: OutColumn[]; open: Shape[] } {
  const columns: OutColumn[] = [];
  const open: Shape[] = [];
  for (const item of items) {
    for (const c of item.shape.columns) {
      if (opts.exclude.has(c.name)) continue;
      let value: Value = c;
      if (env.scope.using.get(c.name)?.includes(item)) {
        // USING columns appear once, as the join of both sides.
        if (usingSeen.has(c.name)) continue;
        usingSeen.add(c.name);
        value = { origins: env.scope.resolve([c.name]) ?? c.origins };
      }
      const replaced = opts.replace.get(c.name);
      if (replaced) value = exprValue(replaced, env);
      columns.push({ ...value, name: opts.rename.get(c.name) ?? c.name });
    }
    if (item.shape.open) open.push(item.shape);
  }
  return { columns, open };
}

/** A SELECT list → the SELECT's columns; select-list aliases become visible to later items and clauses. */
export function projectionColumns(projection: Ast[], env: ExprEnv): Shape {
  const scope = env.scope;
  const columns: OutColumn[] = [];
  const open: { shape: Shape; opts: StarOptions }[] = [];
  const usingSeen = new Set<string>();
  projection.forEach((item, position) => {
    const [tag, body] = variant(item) ?? ['?', undefined];
    if (tag === 'UnnamedExpr' || tag === 'ExprWithAlias') {
      const expr = tag === 'ExprWithAlias' ? body.expr : body;
      const name = tag === 'ExprWithAlias' ? identName(body.alias) : implicitName(body);
      const value = exprValue(expr, env);
      // An unnamed item matters only if it reaches the model's output (trace-model.ts reports it there).
      columns.push({ ...value, name: name ?? `${UNNAMED}${position + 1}` });
      if (name) scope.aliases.set(name, value);
      return;
    }
    if (tag === 'Wildcard' || tag === 'QualifiedWildcard') {
      const [kind, optsAst] = tag === 'Wildcard' ? [undefined, body] : body;
      const opts = starOptions(optsAst, env);
      let items = scope.items;
      if (kind) {
        const parts = objectNameParts(kind.ObjectName ?? kind);
        const found = scope.itemFor(parts);
        if (!found) {
          scope.trace.problem(`${parts.join('.')}.* does not name a relation of the query`);
          return;
        }
        items = [found];
      }
      const star = expandStar(items, opts, env, usingSeen);
      columns.push(...star.columns);
      for (const shape of star.open) open.push({ shape, opts });
      return;
    }
    scope.trace.problem(`a select item of kind ${tag} is not traced`);
  });
  if (!open.length) return { columns };
  return {
    columns,
    openReason: open.find((o) => o.shape.openReason)?.shape.openReason,
    open: (name) => {
      const hits = open.filter((o) => !o.opts.exclude.has(name)).map((o) => o.shape.open!(name)).filter((o): o is Origin[] => o !== undefined);
      if (hits.length > 1) scope.trace.problem(`cannot tell which relation of a \`select *\` has column ${name}: their columns are unknown`);
      return hits.length === 1 ? hits[0] : hits.length ? [] : undefined;
    },
  };
}
