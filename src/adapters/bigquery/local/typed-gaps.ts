/**
 * What the token-by-token translation cannot see: operand types. The resolved AST has them, so a
 * statement whose meaning on DuckDB would differ by type is refused here, before anything runs.
 */
import { Untranslatable } from './untranslatable.js';
import { attr, eachObject, expressionType } from './resolved-ast.js';

const DIFFERING: Record<string, string> = {
  // DATE - DATE is an INTERVAL on BigQuery, a number of days on DuckDB.
  TYPE_DATE: 'DATE - DATE (an INTERVAL)',
  // TIMESTAMP - TIMESTAMP is an INTERVAL of hours on BigQuery (`0-0 0 96:0:0`), of days on DuckDB.
  TYPE_TIMESTAMP: 'TIMESTAMP - TIMESTAMP (an INTERVAL)',
};

/** Throws `Untranslatable` for a subtraction whose INTERVAL result DuckDB would spell or type differently. */
export function refuseTypedGaps(node: unknown): void {
  eachObject(node, (o) => {
    if (o.function?.name === 'ZetaSQL:$subtract') {
      const [a, b] = ((o.signature?.argument ?? []) as { type?: { type_kind?: string } }[]).map((x) => x.type?.type_kind);
      if (a && a === b && DIFFERING[a]) throw new Untranslatable(DIFFERING[a]!);
    }
    // DuckDB writes an INTERVAL as `3 days`, BigQuery as `0-0 3 0:0:0`.
    const cast = o.resolved_cast_node;
    if (cast && attr(cast, 'type')?.type_kind === 'TYPE_STRING' && expressionType(cast.expr)?.type_kind === 'TYPE_INTERVAL') throw new Untranslatable('an INTERVAL cast to STRING');
  });
}
