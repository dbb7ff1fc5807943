import type { QuotePolicy, Relation } from '../adapters/contract.js';
import { splitArgs } from './call-args.js';

type Args = unknown[];

/**
 * A relation object for templates, as dbt's BaseRelation: renders as quoted SQL, exposes dbt's attributes,
 * and is a mapping (`obj is mapping`, `obj.get('metadata')` — how dbt_utils._is_relation recognises one).
 * `include(database=False)` (and `schema=False`) renders without those parts; `incorporate(path=…, type=…)`
 * returns a changed copy.
 */
export function relationObject(rel: Relation, render: (r: Relation, plain?: boolean) => string, quoteIdentifier?: (name: string) => string, type: string | null = null): Record<string, unknown> {
  const again = (r: Relation, t = type): Record<string, unknown> => relationObject(r, render, quoteIdentifier, t);
  const obj: Record<string, unknown> = {
    database: rel.database ?? null,
    schema: rel.schema,
    identifier: rel.identifier,
    // dbt-duckdb's: what a source read in place (external_location) is read as; none otherwise.
    external: rel.external ?? null,
    name: rel.identifier,
    table: rel.identifier,
    type,
    is_table: type === 'table',
    is_view: type === 'view',
    is_cte: false,
    is_materialized_view: false,
    path: { database: rel.database ?? null, schema: rel.schema, identifier: rel.identifier },
    metadata: { type: 'BaseRelation' },
    quote_policy: { database: rel.quotePolicy?.database !== false, schema: rel.quotePolicy?.schema !== false, identifier: rel.quotePolicy?.identifier !== false },
    include: (...a: Args) => {
      const { kw } = splitArgs(a);
      const kept: Relation = { ...rel, ...(kw.database === false ? { database: undefined } : {}) };
      if (kw.schema !== false) return again(kept);
      const alone = quoteIdentifier ?? ((n: string) => `"${n}"`);
      return relationObject(kept, (r) => (r.quotePolicy?.identifier === false ? r.identifier : alone(r.identifier)), quoteIdentifier, type);
    },
    incorporate: (...a: Args) => {
      const { kw } = splitArgs(a);
      const path = (kw.path ?? {}) as Partial<Record<'database' | 'schema' | 'identifier', string>>;
      return again({ ...rel, ...path }, (kw.type as string | undefined) ?? type);
    },
    without_identifier: () => relationObject(rel, (r) => render(r, true).split('.').slice(0, -1).join('.'), quoteIdentifier, type),
    // dbt's InformationSchema: the relation's database (when it has one), then INFORMATION_SCHEMA and the view, unquoted.
    information_schema: (view?: unknown) => {
      const quote = quoteIdentifier ?? ((n: string) => `"${n}"`);
      const text = [...(rel.database ? [quote(rel.database)] : []), 'INFORMATION_SCHEMA', ...(view === undefined || view === null ? [] : [String(view)])].join('.');
      return relationObject({ ...rel, identifier: 'INFORMATION_SCHEMA' }, () => text, quoteIdentifier, null);
    },
    get: (key: string, def: unknown = null) => (key in obj ? obj[key] : def),
    // dbt's `quote(database=…, schema=…, identifier=…)`: a copy whose policy quotes (true) or not (false) those parts.
    quote: (...a: Args) => {
      const { quotePolicy: _old, ...plain } = rel;
      return again({ ...plain, ...withPolicy(rel.quotePolicy, splitArgs(a).kw) });
    },
    // dbt's render() is the name alone; printed (`{{ ref('x') }}`), a ref reads as --empty or an event_time filter says.
    render: () => render(rel, true),
    toString: () => render(rel),
  };
  return obj;
}

/**
 * `api.Relation.create(database=…, schema=…, identifier=…, type=…, quote_policy=…)`; without an identifier it names the
 * schema (`"db"."s"`), as dbt's. As dbt's, its quote policy is the project's `quoting:` under the `quote_policy` given.
 */
export function createRelation(kw: Record<string, unknown>, render: (r: Relation) => string, projectQuoting: Record<string, unknown> = {}): unknown {
  const given = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
  const identifier = given(kw.identifier);
  const rel: Relation = { ...(given(kw.database) !== undefined ? { database: given(kw.database) } : {}), schema: given(kw.schema) ?? '', identifier: identifier ?? '', ...withPolicy(withPolicy(undefined, projectQuoting).quotePolicy, (kw.quote_policy ?? {}) as Record<string, unknown>) };
  if (identifier !== undefined) return relationObject(rel, render, undefined, given(kw.type) ?? null);
  // The dialect renders whole relations: render one with a stand-in identifier and drop it.
  return relationObject(rel, (r) => render({ ...r, identifier: 'x' }).split('.').slice(0, -1).join('.'), undefined, given(kw.type) ?? null);
}

/** A quote policy with the parts `kw` sets (true or false) changed; `{}` when every part ends up quoted. */
function withPolicy(policy: QuotePolicy | undefined, kw: Record<string, unknown>): { quotePolicy?: QuotePolicy } {
  const out: QuotePolicy = {};
  for (const part of ['database', 'schema', 'identifier'] as const) {
    const set = kw[part];
    if (set === false || (set !== true && policy?.[part] === false)) out[part] = false;
  }
  return Object.keys(out).length ? { quotePolicy: out } : {};
}
