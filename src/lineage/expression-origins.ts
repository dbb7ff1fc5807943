import { identName, objectNameParts, variant, type Ast } from './ast.js';
import { atLeast, fieldPath, mergeOrigins, type Origin, type Shape, type Value } from './origins.js';
import type { SelectScope } from './select-scope.js';

/** What an expression is read in: its SELECT's names and a way to trace subqueries. */
export interface ExprEnv {
  scope: SelectScope;
  /** Traces a subquery whose correlated names resolve in `scope`. */
  subquery: (query: Ast, scope: SelectScope) => Shape;
  /** `window w as (…)` definitions of the SELECT. */
  windows?: Map<string, Ast>;
  /** Lambda parameters in scope (`x -> x + 1`): not columns. */
  locals?: Set<string>;
}

/** Aggregate functions (DuckDB and BigQuery): a column inside one is `aggregated`. */
const AGGREGATES = new Set([
  'count', 'sum', 'avg', 'mean', 'min', 'max', 'median', 'mode', 'any_value', 'arbitrary', 'first', 'last',
  'array_agg', 'list', 'string_agg', 'group_concat', 'listagg', 'approx_count_distinct', 'approx_quantiles',
  'approx_top_count', 'approx_top_sum', 'quantile', 'quantile_cont', 'quantile_disc', 'percentile_cont',
  'percentile_disc', 'stddev', 'stddev_pop', 'stddev_samp', 'variance', 'var_pop', 'var_samp', 'corr',
  'covar_pop', 'covar_samp', 'bool_and', 'bool_or', 'logical_and', 'logical_or', 'bit_and', 'bit_or',
  'bit_xor', 'countif', 'count_if', 'arg_max', 'arg_min', 'max_by', 'min_by', 'histogram', 'entropy',
  'kurtosis', 'skewness', 'product', 'fsum', 'favg', 'array_concat_agg', 'sumkahan', 'kahan_sum',
]);

/** Bare words that are not columns: date parts (BigQuery's `date_diff(a, b, MINUTE)`), weekdays, niladic functions, pseudo-columns. */
const BARE_WORDS = new Set([
  'microsecond', 'millisecond', 'second', 'minute', 'hour', 'day', 'dayofweek', 'dayofyear', 'week', 'isoweek',
  'month', 'quarter', 'year', 'isoyear', 'date', 'time', 'datetime', 'timestamp', 'sunday', 'monday', 'tuesday',
  'wednesday', 'thursday', 'friday', 'saturday', 'current_date', 'current_time', 'current_timestamp',
  'current_datetime', 'current_user', 'session_user',
  // Pseudo-columns no catalog lists: BigQuery's ingestion-time partitions and wildcard tables, DuckDB's rowid.
  '_partitiontime', '_partitiondate', '_table_suffix', '_file_name', 'rowid',
]);

/** AST keys that never hold a column reference. */
const SKIP = new Set(['span', 'name', 'data_type', 'field', 'leading_field', 'last_field', 'quote_style', 'alias', 'token', 'case_token', 'end_token', 'Dot', 'charset', 'collation', 'format', 'keyword']);

/**
 * The upstream columns an expression reads, each with how it is used: a bare column passes through
 * (rank 0), a cast casts (1), anything else computes (2), an aggregate aggregates (3).
 */
export function exprOrigins(expr: Ast, env: ExprEnv): Origin[] {
  const found = variant(expr);
  if (!found) return generic(expr, env);
  const [tag, body] = found;
  if (SKIP.has(tag)) return [];
  switch (tag) {
    case 'Identifier':
      return columnRef([identName(body)], env);
    case 'CompoundIdentifier':
      return columnRef((body as Ast[]).map(identName), env);
    case 'CompoundFieldAccess':
    case 'Dictionary':
    case 'Struct':
      return exprValue(expr, env).origins;
    case 'Nested':
      return exprOrigins(body, env);
    case 'Cast':
      return atLeast(exprOrigins(body.expr, env), 1);
    case 'Function':
      return functionOrigins(body, env);
    case 'Subquery':
      return env.subquery(body, env.scope).columns[0]?.origins ?? [];
    case 'InSubquery':
      return atLeast(mergeOrigins(exprOrigins(body.expr, env), ...env.subquery(body.subquery, env.scope).columns.map((c) => c.origins)), 2);
    case 'Exists':
      env.subquery(body.subquery, env.scope);
      return [];
    case 'Lambda': {
      const params = variant(body.params)?.[1];
      const names = (Array.isArray(params) ? params : [params]).map((p: Ast) => identName(p?.name ?? p));
      return exprOrigins(body.body, { ...env, locals: new Set([...(env.locals ?? []), ...names]) });
    }
    case 'Value':
    case 'TypedString':
      return [];
    default:
      return atLeast(generic(body, env), 2);
  }
}

/**
 * An expression's value: its origins, and its fields when it builds a struct (DuckDB's `struct_pack(a := x)`
 * and `{'a': x}`, BigQuery's `STRUCT(x AS a)`) or reads one that was built in the query tree. A field access
 * (`s.a`, `s['a']`, `(s).a`) then reads that field's own columns (select-scope.ts, origins.ts `fieldPath`).
 */
export function exprValue(expr: Ast, env: ExprEnv): Value {
  const [tag, body] = variant(expr) ?? [];
  if (tag === 'Identifier' || tag === 'CompoundIdentifier') {
    const parts = tag === 'Identifier' ? [identName(body)] : (body as Ast[]).map(identName);
    const found = parts.length === 1 && env.locals?.has(parts[0]!) ? undefined : env.scope.resolveValue(parts);
    return found ?? { origins: columnRef(parts, env) };
  }
  if (tag === 'Nested') return exprValue(body, env);
  if (tag === 'CompoundFieldAccess') {
    const path = (body.access_chain as Ast[]).map(fieldName);
    const root = exprValue(body.root, env);
    if (path.every((p): p is string => p !== undefined)) return fieldPath(root, path);
    return { origins: atLeast(mergeOrigins(root.origins, generic(body.access_chain, env)), 2) };
  }
  const entries = structEntries(tag, body);
  if (!entries) return { origins: exprOrigins(expr, env) };
  const fields = new Map<string, Value>();
  const values = entries.map(([name, e]) => {
    const v = exprValue(e, env);
    if (name !== undefined) fields.set(name, v);
    return v.origins;
  });
  return { origins: atLeast(mergeOrigins(...values), 2), fields };
}

/** A struct constructor's fields: name (undefined: unnamed) and expression; undefined when `expr` builds none. */
function structEntries(tag: string | undefined, body: Ast): [string | undefined, Ast][] | undefined {
  if (tag === 'Dictionary') return (body as Ast[]).map((f) => [identName(f.key), f.value]);
  if (tag === 'Struct') return (body.values as Ast[]).map((v) => (v?.Named ? [identName(v.Named.name), v.Named.expr] : [implicitField(v), v]));
  if (tag !== 'Function' || objectNameParts(body.name).pop() !== 'struct_pack') return undefined;
  const args = (variant(body.args)?.[1]?.args ?? []) as Ast[];
  return args.map((a) => (a?.Named ? [identName(a.Named.name), a.Named.arg?.Expr] : [implicitField(a?.Unnamed?.Expr), a?.Unnamed?.Expr]));
}

/** The name a struct field built from a bare column takes (`STRUCT(email)` has a field `email`). */
function implicitField(e: Ast): string | undefined {
  const [tag, body] = variant(e) ?? [];
  if (tag === 'Identifier') return identName(body);
  if (tag === 'CompoundIdentifier') return identName((body as Ast[])[(body as Ast[]).length - 1]);
  return undefined;
}

/** A field access step's name (`.a`, `['a']`); undefined for an index or a computed key. */
function fieldName(step: Ast): string | undefined {
  if (step?.Dot) return variant(step.Dot)?.[0] === 'Identifier' ? identName(step.Dot.Identifier) : undefined;
  const key = step?.Subscript?.Index?.index?.Value?.value?.SingleQuotedString;
  return typeof key === 'string' ? key.toLowerCase() : undefined;
}

function generic(v: Ast, env: ExprEnv): Origin[] {
  if (Array.isArray(v)) return mergeOrigins(...v.map((x) => exprOrigins(x, env)));
  if (!v || typeof v !== 'object') return [];
  if (Object.keys(v).length === 1) return exprOrigins(v, env);
  return mergeOrigins(...Object.entries(v).filter(([k]) => !SKIP.has(k)).map(([, x]) => exprOrigins(x, env)));
}

function columnRef(parts: string[], env: ExprEnv): Origin[] {
  // Lambda parameters, and query parameters (`@pepper`, BigQuery's; `$1`): values, not columns.
  if (parts.length === 1 && (env.locals?.has(parts[0]!) || /^[@$]/.test(parts[0]!))) return [];
  const found = env.scope.resolve(parts);
  if (found) return found;
  if (parts.length === 1 && BARE_WORDS.has(parts[0]!)) return [];
  env.scope.trace.problem(`column ${parts.join('.')} is not found in what the query reads`);
  return [];
}

function functionOrigins(fn: Ast, env: ExprEnv): Origin[] {
  const name = objectNameParts(fn.name).pop() ?? '';
  const args = atLeast(generic([fn.args, fn.parameters], env), AGGREGATES.has(name) ? 3 : 2);
  let over = fn.over ? variant(fn.over) : undefined;
  if (over?.[0] === 'NamedWindow') over = ['WindowSpec', env.windows?.get(identName(over[1]))];
  const rest = generic([fn.filter, fn.within_group, over?.[0] === 'WindowSpec' ? over[1] : undefined], env);
  return mergeOrigins(args, atLeast(rest, 2));
}
