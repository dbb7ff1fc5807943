/**
 * SUM, AVG, MIN and MAX with BigQuery's semantics where DuckDB's differ by the argument's type, as plain
 * aggregates (typed sites) and as analytic functions (`SUM(x) OVER (…)`): INT64 and NUMERIC sums past the
 * type's range fail, a NUMERIC average is exact, a FLOAT64 sum that overflows fails (`double overflow`),
 * MIN and MAX of FLOAT64 are NaN when any input is NaN (DuckDB skips NaN for MIN and puts it above +inf).
 *
 * The analyzer records no text range for an analytic call, so these are read from the resolved AST by
 * function and argument (its range, or the column it names) and matched to the text by the translation.
 */
import { attr, eachObject, leaf } from './resolved-ast.js';
import { numericFunction } from './numeric-functions.js';
import { bigQueryError, localLimit } from './untranslatable.js';

export type AggregateName = 'sum' | 'avg' | 'min' | 'max';

/** An analytic SUM / AVG / MIN / MAX of the statement: its result type and how its argument is written. */
export interface AnalyticCall {
  fn: AggregateName;
  result: string;
  /** The argument's start in the statement's text (characters), when the analyzer records its range. */
  argStart?: number;
  /** The column the argument names, when it is a column reference (which carries no range). */
  column?: string;
}

const NAMES: Record<string, AggregateName> = { 'ZetaSQL:sum': 'sum', 'ZetaSQL:avg': 'avg', 'ZetaSQL:min': 'min', 'ZetaSQL:max': 'max' };

/** The column a (possibly implicitly cast) argument names. */
function columnOf(wrapper: unknown): string | undefined {
  const n = leaf(wrapper);
  if (!n) return undefined;
  if (n.body.column?.name && n.kind === 'resolved_column_ref_node') return String(n.body.column.name);
  return n.body.expr ? columnOf(n.body.expr) : undefined;
}

/** The analytic SUM / AVG / MIN / MAX calls of a resolved statement; `start(arg)` is an argument's text start. */
export function analyticCalls(root: unknown, start: (arg: unknown) => number | undefined): AnalyticCall[] {
  const calls: AnalyticCall[] = [];
  eachObject(root, (o) => {
    const call = o.resolved_analytic_function_call_node;
    if (call) {
      let f = call;
      while (f && !f.function) f = f.parent;
      const fn = NAMES[f?.function?.name];
      const arg = (f?.argument_list ?? [])[0];
      if (fn && arg) calls.push({ fn, result: attr(f, 'type')?.type_kind ?? '', argStart: start(arg), column: columnOf(arg) });
    }
  });
  return calls;
}

/** Whether `fn` of `result` needs a form of its own here. */
export function needsForm(fn: AggregateName, result: string): boolean {
  if (result === 'TYPE_DOUBLE') return true;
  return (fn === 'sum' && (result === 'TYPE_INT64' || result === 'TYPE_NUMERIC')) || (fn === 'avg' && (result === 'TYPE_NUMERIC' || result === 'TYPE_BIGNUMERIC'));
}

/**
 * `fn(x)`, or `fn(x) OVER (…)` when `over` is the window (` over (…)`), with BigQuery's semantics for a
 * `result`-typed call. `x` is the translated argument (DISTINCT, when written, included).
 */
export function aggregateForm(fn: AggregateName, result: string, x: string, over = ''): string {
  const plain = x.replace(/^distinct\s+/i, '');
  const base = `${fn}(${x})${over}`;
  const anyOf = (test: string): string => `coalesce(bool_or(${test}(CAST((${plain}) AS DOUBLE)))${over}, false)`;
  if (result === 'TYPE_INT64' && fn === 'sum') return `strata_bq_int64_sum(${base})`;
  if (result === 'TYPE_NUMERIC' && fn === 'sum') return `strata_bq_numeric_sum(${base})`;
  // AVG(NUMERIC) = SUM / COUNT, divided exactly (DuckDB's goes through a DOUBLE).
  if (result === 'TYPE_NUMERIC' && fn === 'avg') return `${numericFunction('divide', false)}(CAST(sum(${x})${over} AS DECIMAL(38,9)), CAST(count(${x})${over} AS DECIMAL(38,9)))`;
  // AVG(BIGNUMERIC): the same, kept only when the average fits the nine decimals it is held with here.
  if (result === 'TYPE_BIGNUMERIC' && fn === 'avg') return `${numericFunction('avg', false, 'bignumeric')}(CAST(sum(${x})${over} AS DECIMAL(38,9)), CAST(count(${x})${over} AS DECIMAL(38,9)))`;
  if (result !== 'TYPE_DOUBLE') return base;
  // Finite inputs whose sum is infinite: BigQuery's error. Its AVG does not overflow there; DuckDB's does.
  if (fn === 'sum') return `(CASE WHEN isinf(${base}) AND NOT ${anyOf('isinf')} THEN ${bigQueryError("'double overflow'")} ELSE ${base} END)`;
  if (fn === 'avg') return `(CASE WHEN isinf(${base}) AND NOT ${anyOf('isinf')} THEN ${localLimit("'AVG of FLOAT64 values whose sum passes the FLOAT64 range'")} ELSE ${base} END)`;
  return `(CASE WHEN ${anyOf('isnan')} THEN CAST('NaN' AS DOUBLE) ELSE ${base} END)`;
}
