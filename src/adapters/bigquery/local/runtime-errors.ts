/**
 * DuckDB's runtime errors that are BigQuery's too, in BigQuery's words: the job fails `invalidQuery` with
 * the message BigQuery gives (as ZetaSQL's reference evaluator writes it), not `notImplemented` with
 * DuckDB's. Only errors whose DuckDB message carries what BigQuery's shows are mapped; any other stays
 * `notImplemented` (an error either way, never a value).
 */
import { numericText } from './numeric-functions.js';

const MAPPED: [RegExp, (m: RegExpExecArray) => string][] = [
  // `9223372036854775807 + 1`: int64 overflow: 9223372036854775807 + 1
  [/Overflow in (?:addition|subtraction|multiplication) of INT64 \((-?\d+) ([-+*]) (-?\d+)\)/, (m) => `int64 overflow: ${m[1]} ${m[2]} ${m[3]}`],
  // Only INT64's smallest value has no negation (NUMERIC's range is symmetric).
  [/Overflow in negation of numeric value|Overflow on abs\(-9223372036854775808\)|Overflow in division of -9223372036854775808 \/ -1/, () => 'int64 overflow: --9223372036854775808'],
  // DuckDB shows a DECIMAL(38,9)'s scaled integer.
  [/Overflow in (?:addition|subtraction|subtract) of DECIMAL\(38\) \((-?\d+) ([-+]) (-?\d+)\)/, (m) => `numeric overflow: ${numericText(BigInt(m[1]!))} ${m[2]} ${numericText(BigInt(m[3]!))}`],
  [/Could not convert string '(.*)' to INT64/, (m) => `Bad int64 value: ${m[1]}`],
  [/Could not convert string '(.*)' to DOUBLE/, (m) => `Bad double value: ${m[1]}`],
  [/Could not convert string "(.*)" to DECIMAL\(38,9\)/, (m) => `Invalid NUMERIC value: ${m[1]}`],
  [/Type DOUBLE with value (\S+) can't be cast because the value is out of range for the destination type INT64/, (m) => `int64 out of range: ${m[1]}`],
  [/date field value out of range: "(.*)"/, (m) => `Invalid date: '${m[1]}'`],
];

/** BigQuery's message for DuckDB's runtime error `message` (its first line), if it is one of the mapped ones. */
export function bigQueryRuntimeMessage(message: string): string | undefined {
  for (const [pattern, text] of MAPPED) {
    const m = pattern.exec(message);
    if (m) return text(m);
  }
  return undefined;
}
