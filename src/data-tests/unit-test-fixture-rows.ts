/**
 * Unit test fixture rows as dbt reads them: column names matched to the relation's in any case, a name the
 * relation lacks refused with dbt's message, and YAML values written into SQL as dbt's Python would print them.
 */

type Row = Record<string, unknown>;

/**
 * The rows with each key spelled as the relation spells its column (`TESTED_COLUMN` → `tested_column`), or
 * dbt's error naming a key the relation lacks. `columns` absent (a relation not built yet): keys are matched
 * to the first spelling the rows use. `fixtureFor`: `'orders'` for an input, undefined for the expected output.
 */
export function foldFixtureColumns(rows: Row[], columns: string[] | undefined, fixtureFor?: string): { rows: Row[] } | { error: string } {
  const spelling = new Map((columns ?? []).map((c) => [c.toLowerCase(), c]));
  const out: Row[] = [];
  for (const row of rows) {
    const folded: Row = {};
    for (const [key, value] of Object.entries(row)) {
      let name = spelling.get(key.toLowerCase());
      if (name === undefined) {
        if (columns) return { error: `Invalid column name: '${key}' in unit test fixture for ${fixtureFor === undefined ? 'expected output' : `'${fixtureFor}'`}.` };
        spelling.set(key.toLowerCase(), (name = key));
      }
      folded[name] = value;
    }
    out.push(folded);
  }
  return { rows: out };
}

// YAML 1.1's timestamp with a zone, which PyYAML reads as a datetime (dbt then prints it `…+00:00`).
const YAML_TIMESTAMP = /^(\d{4}-\d\d?-\d\d?(?:[Tt]|[ \t]+)\d\d?:\d\d:\d\d(?:\.\d*)?)[ \t]*(Z|[-+]\d\d?(?::?\d\d)?)$/;

/** A zone as Python prints it: `-0` → `+00:00`, `+5:30`… → `+05:30`, `Z` → `+00:00`. */
function zoneText(zone: string): string {
  if (zone === 'Z') return '+00:00';
  const m = /^([-+])(\d\d?)(?::?(\d\d))?$/.exec(zone)!;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? 0);
  const sign = hours === 0 && minutes === 0 ? '+' : m[1];
  return `${sign}${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/** Python's `str()` of a YAML value inside a list or mapping: strings quoted, `True`, `None`. */
function pythonText(v: unknown, nested: boolean): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v)) return `[${v.map((x) => pythonText(x, true)).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v as Row).map(([k, x]) => `${pythonText(k, true)}: ${pythonText(x, true)}`).join(', ')}}`;
  const text = String(v);
  return nested && typeof v === 'string' ? `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : text;
}

/** A YAML timestamp with a zone as PyYAML's datetime prints (`2013-11-03 00:00:00+00:00`); other text as it is. */
function pythonTimestampText(text: string): string {
  const m = YAML_TIMESTAMP.exec(text);
  return m ? `${m[1]!.replace(/^(\d{4})-(\d\d?)-(\d\d?)(?:[Tt]|[ \t]+)/, (_, y: string, mo: string, d: string) => `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')} `)}${zoneText(m[2]!)}` : text;
}

/**
 * The text of a fixture value the warehouse casts to the column's type: a list or mapping as Python prints
 * it (`['a', 'b']`, `{'k': 'v'}`, which DuckDB casts to its lists and structs), anything else as written
 * (a plain YAML timestamp was already turned into PyYAML's text when its file was read: `yamlRowTimestamps`).
 */
export function fixtureValueText(v: unknown): string {
  if (typeof v === 'object' && v !== null && !(v instanceof Date)) return pythonText(v, false);
  return v instanceof Date ? pythonTimestampText(v.toISOString()) : String(v);
}

/**
 * A unit test entry with each plain (unquoted) zoned timestamp of its `given` and `expect` rows written as
 * PyYAML's datetime prints it, as dbt reads them; a quoted one stays the string it is. `isPlain` answers for
 * a key path inside the entry (`['given', 0, 'rows', 1, 'ts']`).
 */
export function yamlRowTimestamps(entry: unknown, isPlain: (path: (string | number)[]) => boolean): unknown {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return entry;
  const e = entry as Row;
  const rows = (value: unknown, at: (string | number)[]): unknown => !Array.isArray(value) ? value : value.map((row, r) => {
    if (!row || typeof row !== 'object' || Array.isArray(row)) return row;
    return Object.fromEntries(Object.entries(row as Row).map(([k, v]) => [k, typeof v === 'string' && YAML_TIMESTAMP.test(v) && isPlain([...at, r, k]) ? pythonTimestampText(v) : v]));
  });
  const part = (p: unknown, at: (string | number)[]): unknown => (p && typeof p === 'object' && !Array.isArray(p) ? { ...(p as Row), rows: rows((p as Row).rows, [...at, 'rows']) } : p);
  return {
    ...e,
    ...(Array.isArray(e.given) ? { given: e.given.map((g, j) => part(g, ['given', j])) } : {}),
    ...(e.expect !== undefined ? { expect: part(e.expect, ['expect']) } : {}),
  };
}
