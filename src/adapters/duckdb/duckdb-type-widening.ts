import type { RoundingCheck, TypeWidening } from '../contract.js';
import { type DuckType, parseDuckType, renderDuckType } from './duckdb-types.js';

const INTEGERS = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT'];
const FLOATS = ['FLOAT', 'DOUBLE'];
/** A file type that says nothing of its values' shape: JSON's reader gives it to a field that is always null. */
const UNTYPED = ['JSON', 'NULL'];

/** Integers a double holds exactly (a float too); a BIGINT or HUGEINT above 2^53 it rounds. */
const EXACT_IN_DOUBLE = ['TINYINT', 'SMALLINT', 'INTEGER', 'FLOAT'];
const WIDE_INTEGERS = ['BIGINT', 'HUGEINT'];

/** Whether a table column of `tableType` takes a file's `fileType` as it is: the same, a narrower integer, into text, or into a double that holds it exactly. */
export function acceptsType(tableType: string, fileType: string): boolean {
  const t = tableType.toUpperCase();
  const f = fileType.toUpperCase();
  if (t === f) return true;
  if (INTEGERS.includes(t) && INTEGERS.includes(f)) return INTEGERS.indexOf(f) <= INTEGERS.indexOf(t);
  return t === 'VARCHAR' || (t === 'DOUBLE' && EXACT_IN_DOUBLE.includes(f));
}

interface Merged {
  type: DuckType;
  /** Fields added or widened, as paths with what changed (`author.verified (new)`, `tags[].weight (BIGINT → DOUBLE)`). */
  changed: string[];
  conflicts: { field: string; tableType: string; fileType: string }[];
  /** A top-level scalar the insert converts to the table's type: its values are checked first. */
  convert: boolean;
  rounding: RoundingCheck[];
}

/**
 * Where a merge is in the column: the field's path, SQL for its value (a lambda's variable inside a list),
 * and `wrap`, which makes a predicate over that value one over the column (any element, in a list). `safe`:
 * the type that holds every value, where one could round, is text (the type a refused file's hint suggests).
 */
interface At {
  path: string;
  top: boolean;
  expr: string;
  wrap: (predicate: string) => string;
  depth: number;
  safe: boolean;
}

const same = (type: DuckType): Merged => ({ type, changed: [], conflicts: [], convert: false, rounding: [] });
const VARCHAR: DuckType = { kind: 'scalar', name: 'VARCHAR' };
const quoteString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** Rows whose value (the table's or the file's) converted to the other side's type and back is another value. */
function roundingCheck(at: At, side: RoundingCheck['side'], tableType: string, fileType: string): RoundingCheck {
  const [from, via] = side === 'table' ? [tableType, 'DOUBLE'] : [fileType, tableType];
  const where = at.wrap(`try_cast(try_cast(${at.expr} as ${via}) as ${from}) is distinct from ${at.expr}`);
  return { side, field: at.path, tableType, fileType, where };
}

function mergeScalar(t: string, f: string, at: At): Merged {
  const T = t.toUpperCase();
  const F = f.toUpperCase();
  // A double holds integers up to 2^53: larger ones of the file would be rounded by the insert, so they are looked for.
  if (T === 'DOUBLE' && WIDE_INTEGERS.includes(F)) return at.safe ? same(VARCHAR) : { ...same({ kind: 'scalar', name: t }), rounding: [roundingCheck(at, 'file', t, f)] };
  if (acceptsType(T, F) || T === 'JSON') return same({ kind: 'scalar', name: t });
  // JSON converts to a number by rounding (1.5 → 2, true → 1): a column's values are checked; inside a
  // struct it is almost always a field that was null all day.
  if (UNTYPED.includes(F)) return at.top ? { ...same({ kind: 'scalar', name: t }), convert: true } : same({ kind: 'scalar', name: t });
  // Rounding 1.5 to 2 would change values without a word: the column becomes DOUBLE, which holds both, once
  // the table's integers are known to fit in a double.
  if ((INTEGERS.includes(T) || T === 'FLOAT') && FLOATS.includes(F)) {
    const rounding = WIDE_INTEGERS.includes(T) ? [roundingCheck(at, 'table', t, f)] : [];
    if (at.safe && rounding.length) return same(VARCHAR);
    return { ...same({ kind: 'scalar', name: 'DOUBLE' }), changed: [`${at.path} (${T} → DOUBLE)`], rounding };
  }
  // Inside a struct a wider integer widens the field (a top-level column keeps its type, its values checked).
  if (!at.top && INTEGERS.includes(T) && INTEGERS.includes(F)) return { ...same({ kind: 'scalar', name: f }), changed: [`${at.path} (${T} → ${F})`] };
  if (at.top) return { ...same({ kind: 'scalar', name: t }), convert: true };
  return { ...same(VARCHAR), conflicts: [{ field: at.path, tableType: t, fileType: f }] };
}

const field = (at: At, name: string): At => ({ ...at, path: `${at.path}.${name}`, top: false, expr: `struct_extract(${at.expr}, ${quoteString(name)})` });

/** The elements of a list (or of a map's keys or values, `list` being SQL for them as a list). */
function element(at: At, path: string, list: string): At {
  const v = `__strata_v${at.depth}`;
  return { ...at, path, top: false, expr: v, depth: at.depth + 1, wrap: (p) => at.wrap(`list_bool_or(list_transform(${list}, ${v} -> ${p}))`) };
}

function gather(out: Merged, m: Merged): void {
  out.changed.push(...m.changed);
  out.conflicts.push(...m.conflicts);
  out.rounding.push(...m.rounding);
}

function mergeStruct(t: Extract<DuckType, { kind: 'struct' }>, f: Extract<DuckType, { kind: 'struct' }>, at: At): Merged {
  const out: Merged = same({ kind: 'struct', fields: [] });
  const fields: { name: string; type: DuckType }[] = [];
  const seen = new Set<string>();
  // Struct casts match fields by name, case-insensitively: the table's fields keep their order, new ones follow.
  for (const tf of t.fields) {
    const other = f.fields.find((x) => x.name.toLowerCase() === tf.name.toLowerCase());
    seen.add(tf.name.toLowerCase());
    if (!other) {
      fields.push(tf);
      continue;
    }
    const m = merge(tf.type, other.type, field(at, tf.name));
    fields.push({ name: tf.name, type: m.type });
    gather(out, m);
  }
  for (const ff of f.fields.filter((x) => !seen.has(x.name.toLowerCase()))) {
    fields.push(ff);
    out.changed.push(`${at.path}.${ff.name} (new)`);
  }
  out.type = { kind: 'struct', fields };
  return out;
}

function merge(t: DuckType, f: DuckType, at: At): Merged {
  if (t.kind === 'scalar' && f.kind === 'scalar') return mergeScalar(t.name, f.name, at);
  // Anything converts to text or JSON, and a file's JSON (always null) converts to anything, or fails loudly.
  if ((t.kind === 'scalar' && ['VARCHAR', 'JSON'].includes(t.name.toUpperCase())) || (f.kind === 'scalar' && UNTYPED.includes(f.name.toUpperCase()))) return same(t);
  if (t.kind === 'struct' && f.kind === 'struct') return mergeStruct(t, f, at);
  if (t.kind === 'list' && (f.kind === 'list' || f.kind === 'array')) {
    const m = merge(t.of, f.of, element(at, `${at.path}[]`, at.expr));
    return { ...m, type: { kind: 'list', of: m.type } };
  }
  if (t.kind === 'array' && f.kind === 'array' && t.size === f.size) {
    const m = merge(t.of, f.of, element(at, `${at.path}[]`, at.expr));
    return { ...m, type: { ...t, of: m.type } };
  }
  if (t.kind === 'map' && f.kind === 'map') {
    const k = merge(t.key, f.key, element(at, `${at.path}.key`, `map_keys(${at.expr})`));
    const v = merge(t.value, f.value, element(at, `${at.path}.value`, `map_values(${at.expr})`));
    const out: Merged = same({ kind: 'map', key: k.type, value: v.type });
    gather(out, k);
    gather(out, v);
    return out;
  }
  return { ...same(VARCHAR), conflicts: [{ field: at.path, tableType: renderDuckType(t), fileType: renderDuckType(f) }] };
}

/**
 * How a bronze table's column of `tableType` takes a landed file's column of `fileType` (DuckDB type names,
 * as `describe` gives them). A struct gains the file's new fields, and a list's or map's element type widens
 * the same way, at any depth; an integer meeting a double becomes DOUBLE. A nested field the table's type
 * cannot hold is a conflict, with the type that would hold both (the conflicting fields as VARCHAR). Where a
 * double meets a BIGINT or HUGEINT (the table's, widened, or the file's, inserted), `rounding` says which
 * values to look for first, and `suggested` the type that holds them (those fields as VARCHAR).
 */
export function widenType(column: string, tableType: string, fileType: string): TypeWidening {
  const t = parseDuckType(tableType);
  const f = parseDuckType(fileType);
  const top: At = { path: column, top: true, expr: `"${column.replace(/"/g, '""')}"`, wrap: (p) => p, depth: 0, safe: false };
  const m = merge(t, f, top);
  const suggested = renderDuckType(m.rounding.length ? merge(t, f, { ...top, safe: true }).type : m.type);
  const first = m.conflicts[0];
  if (first) return { kind: 'conflict', ...first, suggested };
  if (m.convert) return { kind: 'convert' };
  const rounding = m.rounding.length ? { rounding: m.rounding, suggested } : {};
  if (m.changed.length) return { kind: 'widen', type: renderDuckType(m.type), fields: m.changed, ...rounding };
  return { kind: 'takes', ...rounding };
}
