import type { ColumnDef, Connection, Dialect, Relation, RoundingCheck } from '../adapters/contract.js';

/** A landed file the bronze table cannot take as it is: its message is complete (the column, and what to do), shown whole. */
export class LandingFileError extends Error {}

/** The numeric types whose text a file may carry as VARCHAR: `'1.5'` into BIGINT would round without a word. */
const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|FLOAT|DOUBLE|DECIMAL|NUMERIC|REAL|INT\d*|FLOAT\d*)\b/i;
/** Dates and timestamps, whose text may carry more than they keep: `'2024-01-02 10:30'` into a DATE, an offset into a TIMESTAMP. */
const TEMPORAL = /^(DATE|TIMESTAMP)\b/i;

/**
 * The values of a file's column that its table's type would not keep as they are: not converting at all, or
 * converting to another value (1.5 into an integer column, a timestamp into a date). Text is compared as a
 * number for a numeric column (`'1.50'` is kept as 1.5), as an instant for a date or timestamp column (a time of
 * day into a DATE, an offset into a TIMESTAMP are lost), otherwise only its converting at all is asked.
 */
export function lossyValuesSql(d: Dialect, reader: string, column: string, fileType: string, tableType: string): string {
  const q = d.quoteIdentifier(column);
  const to = `try_cast(${q} as ${tableType})`;
  const changed = fileType.toUpperCase() === 'VARCHAR'
    ? NUMERIC.test(tableType)
      ? `try_cast(${q} as double) is distinct from try_cast(${to} as double)`
      : TEMPORAL.test(tableType) ? `try_cast(${q} as timestamptz) is distinct from try_cast(${to} as timestamptz)` : 'false'
    : `try_cast(${to} as ${fileType}) is distinct from ${q}`;
  return `select count(*) as n, cast(min(${q}) as varchar) as example from ${reader} where ${q} is not null and (${to} is null or ${changed})`;
}

/**
 * Refuses a file whose column's values the table's type would not keep as they are (`lossyValuesSql`): the
 * error names the column, both types, how many values and one of them, then `fix`.
 */
export async function checkConvertible(c: Connection, d: Dialect, reader: string, column: ColumnDef, tableType: string, target: string, fix: string): Promise<void> {
  const bad = (await c.query(lossyValuesSql(d, reader, column.name, column.dataType, tableType))).rows[0];
  const n = Number(bad?.n ?? 0);
  if (n > 0) throw new LandingFileError(`column ${column.name} is ${column.dataType} in this file but ${tableType} in ${target}; ${n} values cannot be converted as they are (e.g. ${String(bad?.example)}): ${fix}`);
}

/**
 * Refuses a file when a widening or an insert would round a value (`rounding` of a `TypeWidening`): the
 * table's (`table`: a relation, its rows widened) or the file's (`reader`, its rows inserted). The error names
 * the field, both types, how many values and the column's value in one such row, then `fix`.
 */
export async function checkRounding(c: Connection, d: Dialect, table: string, reader: string, column: string, checks: RoundingCheck[], fix: string): Promise<void> {
  const q = d.quoteIdentifier(column);
  for (const check of checks) {
    const from = check.side === 'table' ? table : reader;
    const bad = (await c.query(`select count(*) as n, cast(min(${q}) as varchar) as example from ${from} where ${check.where}`)).rows[0];
    const n = Number(bad?.n ?? 0);
    if (n === 0) continue;
    const where = check.field === column ? `column ${column}` : `field ${check.field} of column ${column}`;
    const what = check.side === 'table' ? `widening it to DOUBLE would round ${n} values already landed` : `${n} values would be rounded`;
    throw new LandingFileError(`${where} is ${check.fileType} in this file but ${check.tableType} in ${table}; ${what} (e.g. ${String(bad?.example)}), so nothing of the file was landed: ${fix}`);
  }
}

/** Where to go from a type the table cannot take: change the file, or the column once (failed files land again). */
function fixHint(d: Dialect, relation: Relation, column: string, type: string): string {
  const alter = d.alterColumnType ? d.alterColumnType(relation, column, type) : undefined;
  return alter ? `fix the file, or widen the column once (${alter}) and land again: failed files are retried` : 'fix the file and land again: failed files are retried';
}

/**
 * Makes an existing bronze table ready for a file's columns, inside the landing's transaction (so a failure
 * leaves the table as it was): new columns are added (nullable), a column whose type is narrower than the
 * file's is widened — a struct gains the file's new fields at any depth (inside lists and maps too), old rows
 * having them null; an integer column meeting doubles becomes DOUBLE once its values are known to fit in a
 * double — and a scalar converted to the table's type has its values checked first (a file's integers too,
 * into a DOUBLE). A value that would change or be lost is a `LandingFileError` naming the column and what to
 * do. Never a silent drop or rounding. What was widened (`author.verified (new)`), for the report.
 */
export async function evolveTable(c: Connection, d: Dialect, relation: Relation, reader: string, have: ColumnDef[], fileCols: ColumnDef[]): Promise<string[]> {
  const target = d.renderRelation(relation);
  const byName = new Map(have.map((col) => [col.name.toLowerCase(), col]));
  const widen: { name: string; type: string }[] = [];
  const widened: string[] = [];
  for (const col of fileCols) {
    const current = byName.get(col.name.toLowerCase());
    if (!current || !d.widenType) continue;
    const w = d.widenType(current.name, current.dataType, col.dataType);
    if ((w.kind === 'widen' || w.kind === 'takes') && w.rounding) await checkRounding(c, d, target, reader, current.name, w.rounding, fixHint(d, relation, current.name, w.suggested ?? 'VARCHAR'));
    if (w.kind === 'widen') {
      if (!d.alterColumnType) throw new LandingFileError(`column ${w.fields.join(', ')} is new or wider in this file (${col.dataType}) than in ${target} (${current.dataType}); ${fixHint(d, relation, current.name, w.type)}`);
      widen.push({ name: current.name, type: w.type });
      widened.push(...w.fields);
    } else if (w.kind === 'conflict') {
      const where = w.field === current.name ? `column ${current.name}` : `field ${w.field} of column ${current.name}`;
      throw new LandingFileError(`${where} is ${w.fileType} in this file but ${w.tableType} in ${target}; nothing of the file was landed: ${fixHint(d, relation, current.name, w.suggested)}`);
    } else if (w.kind === 'convert') {
      await checkConvertible(c, d, reader, col, current.dataType, target, fixHint(d, relation, current.name, col.dataType));
    }
  }
  const added = fileCols.filter((col) => !byName.has(col.name.toLowerCase()));
  if (added.length) await c.execute(d.addColumns(relation, added));
  for (const col of widen) await c.execute(d.alterColumnType!(relation, col.name, col.type));
  return widened;
}
