/**
 * Readers of sqlparser-rs's AST (serde JSON: an enum is `{Variant: payload}` or the string `"Variant"`).
 * The AST is typed loosely on purpose: only the few shapes lineage reads are touched, here.
 */
export type Ast = any;

/** `{Variant: payload}` → ['Variant', payload]; `"Variant"` → ['Variant', undefined]. */
export function variant(v: Ast): [string, Ast] | undefined {
  if (typeof v === 'string') return [v, undefined];
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1) return [keys[0]!, v[keys[0]!]];
  }
  return undefined;
}

/** An identifier, lower-cased: DuckDB and BigQuery compare column names without case. */
export function identName(ident: Ast): string {
  return String(ident?.value ?? '').toLowerCase();
}

/** The parts of an object name (`"silver"."complaints"`, `` `p.d.t` ``), lower-cased. */
export function objectNameParts(name: Ast): string[] {
  const parts: string[] = [];
  for (const part of (Array.isArray(name) ? name : []) as Ast[]) {
    const ident = part?.Identifier ?? part;
    if (ident?.value !== undefined) parts.push(...identName(ident).split('.'));
  }
  return parts;
}

/** The ident list of a USING clause, EXCLUDE / EXCEPT list and the like, lower-cased. */
export function identList(v: Ast): string[] {
  if (!v) return [];
  if (Array.isArray(v)) return v.flatMap((x) => identList(x));
  if (v.Identifier) return [identName(v.Identifier)];
  if (v.value !== undefined) return [identName(v)];
  const found = variant(v);
  if (found) return identList(found[1]);
  if (v.first_element) return [identName(v.first_element), ...identList(v.additional_elements ?? [])];
  return [];
}

/** A where-clause position in the source (1-based line), when the AST carries one. */
export function lineOf(v: Ast): number | undefined {
  return v?.span?.start?.line ?? undefined;
}
