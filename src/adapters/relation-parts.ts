import type { QuotePolicy, Relation } from './contract-relations.js';

/** A relation's parts (those it has), each quoted unless its quote policy says false. */
export function relationParts(r: Relation, quote: (name: string) => string): string[] {
  const parts: [keyof QuotePolicy, string | undefined][] = [['database', r.database], ['schema', r.schema], ['identifier', r.identifier]];
  return parts.filter((p): p is [keyof QuotePolicy, string] => !!p[1]).map(([k, v]) => (r.quotePolicy?.[k] === false ? v : quote(v)));
}
