/**
 * `tables.patch` with a schema on the local BigQuery: as BigQuery, it takes additions only — new NULLABLE or
 * REPEATED columns at the end, and new fields at the end of a RECORD (at any depth) — and refuses any other
 * change. The DuckDB table's columns are widened to match (a struct cast by name: old rows get nulls).
 */
import type { TableField } from './bigquery-types.js';
import type { TableStore } from './table-store.js';
import { type DuckWarehouse, duckRelation } from './duckdb-warehouse.js';
import { duckTypeOfField, quoteIdent } from './duckdb-spelling.js';

const SAME_TYPE: Record<string, string> = { INT64: 'INTEGER', FLOAT64: 'FLOAT', BOOL: 'BOOLEAN', STRUCT: 'RECORD' };
const typeOf = (f: TableField): string => SAME_TYPE[f.type.toUpperCase()] ?? f.type.toUpperCase();
const modeOf = (f: TableField): string => (f.mode ?? 'NULLABLE').toUpperCase();

/** Why `next` is not `prior` plus additions at the end (at any depth), or undefined when it is. */
function notAnAddition(prior: TableField[], next: TableField[], path: string): string | undefined {
  for (let i = 0; i < prior.length; i++) {
    const a = prior[i]!;
    const b = next[i];
    const at = `${path}${a.name}`;
    if (!b || b.name.toLowerCase() !== a.name.toLowerCase()) return `field ${at} is missing or moved`;
    if (typeOf(a) !== typeOf(b) || modeOf(a) !== modeOf(b)) return `field ${at} changed from ${modeOf(a)} ${typeOf(a)} to ${modeOf(b)} ${typeOf(b)}`;
    const inner = typeOf(a) === 'RECORD' ? notAnAddition(a.fields ?? [], b.fields ?? [], `${at}.`) : undefined;
    if (inner) return inner;
  }
  const required = next.slice(prior.length).find((f) => modeOf(f) === 'REQUIRED');
  return required ? `new field ${path}${required.name} is REQUIRED` : undefined;
}

/** A field as tables.get answers it: legacy type names (BigQuery takes `INT64` or `INTEGER`, answers `INTEGER`). */
const stored = (f: TableField): TableField => ({ ...f, type: typeOf(f), mode: modeOf(f), ...(f.fields ? { fields: f.fields.map(stored) } : {}) });

/** Applies a schema patch to a stored table; an error body when BigQuery would refuse it. */
export async function patchTableSchema(store: TableStore, wh: DuckWarehouse, key: string, fields: TableField[]): Promise<{ status: number; reason: string; message: string } | undefined> {
  const table = store.tables.get(key)!;
  fields = fields.map(stored);
  const why = notAnAddition(table.fields, fields, '');
  if (why) return { status: 400, reason: 'invalid', message: `Provided Schema does not match Table ${key}: ${why}` };
  const rel = duckRelation(key);
  await wh.exclusive(async () => {
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      const prior = table.fields[i];
      if (!prior) await wh.run(`alter table ${rel} add column ${quoteIdent(f.name)} ${duckTypeOfField(f)}`);
      else if (duckTypeOfField(prior) !== duckTypeOfField(f)) await wh.run(`alter table ${rel} alter column ${quoteIdent(prior.name)} set data type ${duckTypeOfField(f)}`);
    }
  });
  store.tables.set(key, { ...table, fields });
  store.save();
  return undefined;
}
