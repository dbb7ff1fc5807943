import type { ColumnDef } from '../adapters/contract.js';

/**
 * How a table's RECORD column takes a file's (BigQuery, where a record is inserted by position): the column
 * with the file's new fields appended at the end of each record (at any depth), the new fields' paths, the
 * expression that builds the table's record from the file's by name when the file has its fields in another
 * order or lacks some (`select`; those lacking are null), and what stops the file: a field of another type,
 * or a repeated record whose fields differ so.
 */
export interface RecordPlan {
  widened: ColumnDef;
  added: string[];
  problems: string[];
  select?: string;
}

const kindOf = (c: ColumnDef): string => `${c.repeated ? 'repeated ' : ''}${c.fields ? 'RECORD' : c.dataType}`;
const find = (fields: ColumnDef[], name: string): ColumnDef | undefined => fields.find((x) => x.name.toLowerCase() === name.toLowerCase());
const names = (cols: ColumnDef[]): string => cols.map((c) => c.name.toLowerCase()).join(', ');

function merge(table: ColumnDef, file: ColumnDef, path: string, compatible: (t: string, f: string) => boolean, out: RecordPlan): ColumnDef {
  if (!table.fields && !file.fields && !!table.repeated === !!file.repeated) {
    if (!compatible(table.dataType, file.dataType)) out.problems.push(`${path} is ${file.dataType} in this file but ${table.dataType} in the table`);
    return table;
  }
  if (!table.fields || !file.fields || !!table.repeated !== !!file.repeated) {
    out.problems.push(`${path} is ${kindOf(file)} in this file but ${kindOf(table)} in the table`);
    return table;
  }
  const fields = table.fields.map((t) => {
    const f = find(file.fields!, t.name);
    return f ? merge(t, f, `${path}.${t.name}`, compatible, out) : t;
  });
  for (const f of file.fields.filter((x) => !find(table.fields!, x.name))) {
    out.added.push(`${path}.${f.name} (${kindOf(f)})`);
    fields.push(f);
  }
  return { ...table, fields };
}

/** Whether the file's record has the table's fields in the table's order, at every depth. */
function sameShape(table: ColumnDef, file: ColumnDef): boolean {
  if (!table.fields || !file.fields) return true;
  return names(table.fields) === names(file.fields) && table.fields.every((t, i) => sameShape(t, file.fields![i]!));
}

/** A column's type as BigQuery spells it in SQL (`STRUCT<a INT64>`, `ARRAY<…>`). */
function typeSql(c: ColumnDef, q: (n: string) => string): string {
  const base = c.fields ? `STRUCT<${c.fields.map((f) => `${q(f.name)} ${typeSql(f, q)}`).join(', ')}>` : c.dataType;
  return c.repeated ? `ARRAY<${base}>` : base;
}

/** The table's record built from the file's by name: a field the file lacks is null. */
function byName(table: ColumnDef, file: ColumnDef | undefined, src: string, path: string, q: (n: string) => string, out: RecordPlan): string {
  if (!file) return `CAST(NULL AS ${typeSql(table, q)})`;
  if (!table.fields || !file.fields || sameShape(table, file)) return src;
  if (table.repeated) {
    out.problems.push(`the fields of ${path} are (${names(file.fields)}) in this file but (${names(table.fields)}) in the table: a repeated RECORD is inserted by position`);
    return src;
  }
  const fields = table.fields.map((t) => {
    const f = find(file.fields!, t.name);
    return `${byName(t, f, `${src}.${q(f?.name ?? t.name)}`, `${path}.${t.name}`, q, out)} AS ${q(t.name)}`;
  });
  return `IF(${src} IS NULL, NULL, STRUCT(${fields.join(', ')}))`;
}

/** The plan for one RECORD (or repeated RECORD) column; `compatible` says whether a table's scalar type takes a file's. */
export function planRecord(table: ColumnDef, file: ColumnDef, compatible: (t: string, f: string) => boolean, q: (n: string) => string): RecordPlan {
  const out: RecordPlan = { widened: table, added: [], problems: [] };
  out.widened = merge(table, file, table.name, compatible, out);
  if (!out.problems.length && !sameShape(out.widened, file)) out.select = byName(out.widened, file, q(file.name), table.name, q, out);
  return out;
}
