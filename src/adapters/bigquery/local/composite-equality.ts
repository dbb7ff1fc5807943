/**
 * `=` and `!=` of STRUCTs and ARRAYs as BigQuery computes them (operators#comparison_operators): field by
 * field or element by element, with SQL's three values — a NULL field or element makes the answer NULL
 * unless another pair differs — and a FLOAT64 NaN equal to nothing. DuckDB compares nested values as
 * wholes, a NULL equal to a NULL and a NaN to a NaN (`struct(1, null) = struct(1, null)` was true; it is
 * NULL on BigQuery, and `[nan] = [nan]` false). Written from the analyzer's operand type.
 */
import type { TypeProto } from './bigquery-types.js';

const nullIf = (a: string, b: string, then: string): string => `CASE WHEN (${a}) IS NULL OR (${b}) IS NULL THEN NULL ELSE ${then} END`;

/** BigQuery's `a = b` for two values of `type`, as DuckDB SQL (`depth` names the lambdas of nested arrays). */
export function compositeEquality(type: TypeProto, a: string, b: string, depth = 0): string {
  if (type.type_kind === 'TYPE_STRUCT') {
    const fields = type.struct_type?.field ?? [];
    if (!fields.length) return nullIf(a, b, 'true');
    const each = fields.map((f, k) => compositeEquality(f.field_type, `struct_extract_at(${a}, ${k + 1})`, `struct_extract_at(${b}, ${k + 1})`, depth));
    return nullIf(a, b, `(${each.join(' AND ')})`);
  }
  if (type.type_kind === 'TYPE_ARRAY' && type.array_type) {
    const i = `strata_i${depth}`;
    const pairs = `list_transform(range(len(${a})), ${i} -> ${compositeEquality(type.array_type.element_type, `(${a})[${i} + 1]`, `(${b})[${i} + 1]`, depth + 1)})`;
    return `CASE WHEN (${a}) IS NULL OR (${b}) IS NULL THEN NULL WHEN len(${a}) <> len(${b}) THEN false WHEN list_contains(${pairs}, false) THEN false WHEN list_count(${pairs}) < len(${a}) THEN NULL ELSE true END`;
  }
  if (type.type_kind === 'TYPE_DOUBLE' || type.type_kind === 'TYPE_FLOAT') return nullIf(a, b, `(CASE WHEN isnan(${a}) OR isnan(${b}) THEN false ELSE (${a}) = (${b}) END)`);
  return `((${a}) = (${b}))`;
}
