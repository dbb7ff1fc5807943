import type { TypeWidening } from '../contract.js';
import { type DuckType, parseDuckType, renderDuckType } from './duckdb-types.js';

const INTEGERS = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT'];
const FLOATS = ['FLOAT', 'DOUBLE'];
/** A file type that says nothing of its values' shape: JSON's reader gives it to a field that is always null. */
const UNTYPED = ['JSON', 'NULL'];

/** Whether a table column of `tableType` takes a file's `fileType` as it is: the same, a narrower integer, or into text or double. */
export function acceptsType(tableType: string, fileType: string): boolean {
  const t = tableType.toUpperCase();
  const f = fileType.toUpperCase();
  if (t === f) return true;
  if (INTEGERS.includes(t) && INTEGERS.includes(f)) return INTEGERS.indexOf(f) <= INTEGERS.indexOf(t);
  return t === 'VARCHAR' || (t === 'DOUBLE' && (INTEGERS.includes(f) || f === 'FLOAT'));
}

interface Merged {
  type: DuckType;
  /** Fields added or widened, as paths (`author.verified`, `tags[].weight`). */
  changed: string[];
  conflicts: { field: string; tableType: string; fileType: string }[];
  /** A top-level scalar the insert converts to the table's type: its values are checked first. */
  convert: boolean;
}

const same = (type: DuckType): Merged => ({ type, changed: [], conflicts: [], convert: false });
const VARCHAR: DuckType = { kind: 'scalar', name: 'VARCHAR' };

function mergeScalar(t: string, f: string, path: string, top: boolean): Merged {
  const T = t.toUpperCase();
  const F = f.toUpperCase();
  if (acceptsType(T, F) || T === 'JSON') return same({ kind: 'scalar', name: t });
  // JSON converts to a number by rounding (1.5 → 2, true → 1): a column's values are checked; inside a
  // struct it is almost always a field that was null all day.
  if (UNTYPED.includes(F)) return top ? { ...same({ kind: 'scalar', name: t }), convert: true } : same({ kind: 'scalar', name: t });
  // Rounding 1.5 to 2 would change values without a word: the column becomes DOUBLE, which holds both.
  if ((INTEGERS.includes(T) || T === 'FLOAT') && FLOATS.includes(F)) return { ...same({ kind: 'scalar', name: 'DOUBLE' }), changed: [path] };
  // Inside a struct a wider integer widens the field (a top-level column keeps its type, its values checked).
  if (!top && INTEGERS.includes(T) && INTEGERS.includes(F)) return { ...same({ kind: 'scalar', name: f }), changed: [path] };
  if (top) return { ...same({ kind: 'scalar', name: t }), convert: true };
  return { ...same(VARCHAR), conflicts: [{ field: path, tableType: t, fileType: f }] };
}

function mergeStruct(t: Extract<DuckType, { kind: 'struct' }>, f: Extract<DuckType, { kind: 'struct' }>, path: string): Merged {
  const out: Merged = same({ kind: 'struct', fields: [] });
  const fields: { name: string; type: DuckType }[] = [];
  const seen = new Set<string>();
  // Struct casts match fields by name, case-insensitively: the table's fields keep their order, new ones follow.
  for (const field of t.fields) {
    const other = f.fields.find((x) => x.name.toLowerCase() === field.name.toLowerCase());
    seen.add(field.name.toLowerCase());
    if (!other) {
      fields.push(field);
      continue;
    }
    const m = merge(field.type, other.type, `${path}.${field.name}`, false);
    fields.push({ name: field.name, type: m.type });
    out.changed.push(...m.changed);
    out.conflicts.push(...m.conflicts);
  }
  for (const field of f.fields.filter((x) => !seen.has(x.name.toLowerCase()))) {
    fields.push(field);
    out.changed.push(`${path}.${field.name}`);
  }
  out.type = { kind: 'struct', fields };
  return out;
}

function merge(t: DuckType, f: DuckType, path: string, top: boolean): Merged {
  if (t.kind === 'scalar' && f.kind === 'scalar') return mergeScalar(t.name, f.name, path, top);
  // Anything converts to text or JSON, and a file's JSON (always null) converts to anything, or fails loudly.
  if ((t.kind === 'scalar' && ['VARCHAR', 'JSON'].includes(t.name.toUpperCase())) || (f.kind === 'scalar' && UNTYPED.includes(f.name.toUpperCase()))) return same(t);
  if (t.kind === 'struct' && f.kind === 'struct') return mergeStruct(t, f, path);
  if (t.kind === 'list' && (f.kind === 'list' || f.kind === 'array')) {
    const m = merge(t.of, f.of, `${path}[]`, false);
    return { ...m, type: { kind: 'list', of: m.type } };
  }
  if (t.kind === 'array' && f.kind === 'array' && t.size === f.size) {
    const m = merge(t.of, f.of, `${path}[]`, false);
    return { ...m, type: { ...t, of: m.type } };
  }
  if (t.kind === 'map' && f.kind === 'map') {
    const k = merge(t.key, f.key, `${path}.key`, false);
    const v = merge(t.value, f.value, `${path}.value`, false);
    return { type: { kind: 'map', key: k.type, value: v.type }, changed: [...k.changed, ...v.changed], conflicts: [...k.conflicts, ...v.conflicts], convert: false };
  }
  return { ...same(VARCHAR), conflicts: [{ field: path, tableType: renderDuckType(t), fileType: renderDuckType(f) }] };
}

/**
 * How a bronze table's column of `tableType` takes a landed file's column of `fileType` (DuckDB type names,
 * as `describe` gives them). A struct gains the file's new fields, and a list's or map's element type widens
 * the same way, at any depth; an integer meeting a double becomes DOUBLE. A nested field the table's type
 * cannot hold is a conflict, with the type that would hold both (the conflicting fields as VARCHAR).
 */
export function widenType(column: string, tableType: string, fileType: string): TypeWidening {
  const m = merge(parseDuckType(tableType), parseDuckType(fileType), column, true);
  const first = m.conflicts[0];
  if (first) return { kind: 'conflict', ...first, suggested: renderDuckType(m.type) };
  if (m.convert) return { kind: 'convert' };
  if (m.changed.length) return { kind: 'widen', type: renderDuckType(m.type), fields: m.changed };
  return { kind: 'takes' };
}
