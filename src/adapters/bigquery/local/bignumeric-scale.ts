/**
 * BIGNUMERIC on the local BigQuery: DuckDB holds it as DECIMAL(38,9), NUMERIC's nine decimals and 29
 * integer digits, where BigQuery keeps 38 decimals and 38 integer digits. Values that fit are exact here,
 * so BIGNUMERIC works while every value fits; what could make one that does not is refused by name before
 * anything runs (never rounded to nine decimals): a literal (or folded cast) with more decimals or integer
 * digits, a cast from FLOAT64, and every function with a BIGNUMERIC result but those whose result has no
 * more decimals than their operands (`+`, `-`, SUM, MIN, MAX, ROUND…) and those computed with BigQuery's 38
 * decimals and checked on the data (`*`, `/`, DIV, AVG: numeric-functions.ts keeps a result that fits and
 * refuses one that does not). Text cast to BIGNUMERIC is checked on the data too (casts.ts).
 */
import { attr, eachObject, expressionType } from './resolved-ast.js';
import { Untranslatable } from './untranslatable.js';

/** Functions whose BIGNUMERIC result keeps within its BIGNUMERIC operands' decimals. */
const KEEPS_SCALE = new Set([
  '$add', '$subtract', '$unary_minus', 'safe_add', 'safe_subtract', 'safe_negate', 'sum', 'min', 'max', 'any_value',
  'abs', 'sign', 'greatest', 'least', 'if', 'coalesce', 'ifnull', 'nullif', 'iferror', '$case_no_value', '$case_with_value',
  'round', 'trunc', 'floor', 'ceil', 'ceiling', 'mod', '$array_at_offset', '$array_at_ordinal', '$safe_array_at_offset', '$safe_array_at_ordinal',
]);

/** Functions computed exactly and checked to fit on the data (numeric-functions.ts). */
const CHECKED_ON_DATA = new Set(['$divide', 'safe_divide', 'div', '$multiply', 'safe_multiply', 'avg']);

const LIMIT = "(BigQuery keeps 38 decimal digits; the local BigQuery holds BIGNUMERIC with NUMERIC's 9 and 29 integer digits)";
const SCALE = 10n ** 38n;

/** A ZetaSQL BIGNUMERIC value (value × 10^38, two's complement, little-endian) as a bigint of that scale. */
function scaled(bytes: ArrayLike<number>): bigint {
  let x = 0n;
  for (let k = bytes.length - 1; k >= 0; k--) x = (x << 8n) | BigInt(bytes[k]!);
  return bytes.length && bytes[bytes.length - 1]! >= 0x80 ? x - (1n << BigInt(8 * bytes.length)) : x;
}

/** Whether a BIGNUMERIC literal fits DECIMAL(38,9): at most nine decimals and 29 integer digits. */
function fits(value: unknown): boolean {
  const raw = value as { data?: number[] } | ArrayLike<number> | undefined;
  const bytes = raw && 'data' in raw && Array.isArray(raw.data) ? raw.data : (raw as ArrayLike<number> | undefined);
  if (!bytes) return false;
  const v = scaled(bytes);
  const abs = v < 0n ? -v : v;
  return v % 10n ** 29n === 0n && abs < 10n ** 29n * SCALE;
}

/** Throws `Untranslatable` for a BIGNUMERIC expression whose value DECIMAL(38,9) could not hold exactly. */
export function refuseBignumericScale(node: unknown): void {
  eachObject(node, (o) => {
    // A literal's value, alone or inside an array or struct literal.
    if (o.value === 'bignumeric_value' && !fits(o.bignumeric_value)) {
      throw new Untranslatable(`a BIGNUMERIC value with more than 9 decimal digits or 29 integer digits ${LIMIT}`);
    }
    const cast = o.resolved_cast_node;
    if (cast && attr(cast, 'type')?.type_kind === 'TYPE_BIGNUMERIC' && /DOUBLE|FLOAT/.test(expressionType(cast.expr)?.type_kind ?? '')) {
      throw new Untranslatable(`a FLOAT64 cast to BIGNUMERIC ${LIMIT}`);
    }
    const name = typeof o.function?.name === 'string' ? String(o.function.name).replace(/^ZetaSQL:/, '') : undefined;
    if (name && attr(o, 'type')?.type_kind === 'TYPE_BIGNUMERIC' && !KEEPS_SCALE.has(name) && !CHECKED_ON_DATA.has(name)) {
      throw new Untranslatable(`BIGNUMERIC ${name.replace(/^\$/, '').toUpperCase()} ${LIMIT}`);
    }
  });
}
