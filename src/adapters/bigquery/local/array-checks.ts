/**
 * BigQuery refuses to write an array holding a NULL element — in a query's result or a table — with
 * `Array cannot have a null element; error in writing field <name>`; DuckDB's lists hold NULLs. Checked on
 * a SELECT's rows, on the rows a CREATE TABLE … AS SELECT stages, before the table is replaced, and on the
 * array columns an INSERT, UPDATE or MERGE writes (the statement and the check in one transaction).
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { TableField } from './bigquery-types.js';
import { quoteIdent, quoteString } from './duckdb-spelling.js';
import { bigQueryError } from './untranslatable.js';

export const nullElementMessage = (field: string): string => `Array cannot have a null element; error in writing field ${field}`;

/** The first field (`a` or `s.a`) whose value is an array with a NULL element, in any row. */
export function nullElementField(rows: DuckDBValue[][], fields: TableField[]): string | undefined {
  const within = (v: DuckDBValue, f: TableField, path: string): string | undefined => {
    if (v === null || v === undefined || typeof v !== 'object') return undefined;
    if ((f.mode ?? '').toUpperCase() === 'REPEATED') {
      const items = (v as { items?: readonly DuckDBValue[] }).items ?? [];
      if (items.some((x) => x === null || x === undefined)) return path;
      for (const x of items) {
        const inner = within(x, { ...f, mode: 'NULLABLE' }, path);
        if (inner) return inner;
      }
      return undefined;
    }
    const entries = (v as { entries?: Record<string, DuckDBValue> }).entries;
    for (const c of entries ? (f.fields ?? []) : []) {
      const inner = within(entries![c.name] ?? null, c, `${path}.${c.name}`);
      if (inner) return inner;
    }
    return undefined;
  };
  for (const row of rows) {
    for (const [i, f] of fields.entries()) {
      const found = within(row[i] ?? null, f, f.name);
      if (found) return found;
    }
  }
  return undefined;
}

/** Statements that fail with BigQuery's error when a staged top-level array column holds a NULL element. */
export function stagedArrayChecks(stage: string, fields: TableField[]): string[] {
  return fields
    .filter((f) => (f.mode ?? '').toUpperCase() === 'REPEATED')
    .map((f) => `select ${bigQueryError(quoteString(nullElementMessage(f.name)))} from ${stage} where list_count(${quoteIdent(f.name)}) < len(${quoteIdent(f.name)})`);
}

/**
 * Statements run after an INSERT, UPDATE or MERGE into `target` (DuckDB SQL) that fail with BigQuery's error
 * when one of its array `columns` holds a NULL element. The rows already there hold none (every write is
 * checked), so a hit is a row this statement wrote, and the statement's transaction is rolled back.
 */
export function writtenArrayChecks(target: string, columns: string[]): string[] {
  return columns.map((c) => `select ${bigQueryError(quoteString(nullElementMessage(c)))} from ${target} where list_count(${quoteIdent(c)}) < len(${quoteIdent(c)})`);
}
