/**
 * `SUM | AVG | MIN | MAX (x) OVER (…)` as DuckDB SQL with BigQuery's semantics for the call's type
 * (aggregate-forms.ts). The analyzer records no range for an analytic call, so the call in the text is
 * matched to the resolved statement's analytic calls by function and argument: the argument's start, or
 * the column it names. A call whose type is not found so is refused, never run with DuckDB's semantics.
 */
import { aggregateForm, needsForm, type AggregateName, type AnalyticCall } from './aggregate-forms.js';
import type { Call } from './function-calls.js';
import { closing, significant, wordOf } from './sql-tokens.js';
import type { Translator } from './to-duckdb.js';
import { Untranslatable } from './untranslatable.js';

/** The result type of the analytic call `c`, if the resolved statement says it unambiguously. */
function resultType(tr: Translator, c: Call, calls: AnalyticCall[]): string | undefined {
  const fn = c.f as AggregateName;
  let tokens = tr.t.slice(c.r[0]![0], c.r[0]![1]).filter(significant);
  if (wordOf(tokens[0]) === 'distinct') tokens = tokens.slice(1);
  const at = tokens[0]?.at;
  const column = tokens.every((t) => t.kind === 'word' || t.kind === 'ident' || (t.kind === 'punct' && t.text === '.'))
    ? tokens.at(-1)?.text.split('.').at(-1)?.toLowerCase()
    : undefined;
  const same = calls.filter((k) => k.fn === fn);
  const matched = same.filter((k) => (k.argStart !== undefined ? k.argStart === at : column !== undefined && k.column?.toLowerCase() === column));
  const types = new Set((matched.length ? matched : same).map((k) => k.result));
  return types.size === 1 ? [...types][0] : undefined;
}

/** The analytic call `c` (its name at `c.open`'s left, `OVER` after `c.close`) and the index after its window. */
export function analyticForm(tr: Translator, c: Call, calls: AnalyticCall[] | undefined): [string, number] {
  const over = tr.next(c.close);
  const w = tr.next(over);
  const bracket = tr.t[w]?.kind === 'punct' && tr.t[w]!.text === '(';
  const end = bracket ? closing(tr.t, w) + 1 : w + 1;
  const window = ` ${tr.emit(over, end).trim()}`;
  if (c.r.length !== 1) throw new Untranslatable(`${c.name} with ${c.r.length} arguments OVER (…)`);
  const result = calls ? resultType(tr, c, calls) : undefined;
  if (result === undefined) throw new Untranslatable(`${c.name.toUpperCase()}(…) OVER (…) whose argument type is not found in the statement text`);
  const x = c.a(0);
  return [needsForm(c.f as AggregateName, result) ? aggregateForm(c.f as AggregateName, result, x, window) : `${c.name}(${x})${window}`, end];
}
