import { parse as parseCsv } from 'csv-parse/sync';

/**
 * The BigQuery schema of a seed, inferred the way dbt does: every row is read and each column gets the
 * first of Integer, Number, Date, DateTime, Boolean, Text that all its values fit (dbt's agate type
 * tester; empty and `null` are nulls), then dbt-bigquery's names: INT64, FLOAT64 (INT64 when no value has
 * decimals), DATE, DATETIME, BOOL, STRING. `column_types` overrides a column. BigQuery's own
 * autodetect is not used: it looks at the first 500 rows only.
 */
export interface SeedField {
  name: string;
  type: string;
}

const NULLS = new Set(['', 'null']);
const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
// "%Y-%m-%d %H:%M:%S" and ISO 8601 (dbt's ISODateTime), with optional fraction and offset.
const DATETIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const BOOLEAN = new Set(['true', 'false']);

type Kind = 'INT64' | 'NUMBER' | 'DATE' | 'DATETIME' | 'BOOL' | 'STRING';
const ORDER: Kind[] = ['INT64', 'NUMBER', 'DATE', 'DATETIME', 'BOOL', 'STRING'];

function fits(kind: Kind, v: string): boolean {
  switch (kind) {
    case 'INT64':
      return INTEGER.test(v);
    case 'NUMBER':
      return NUMBER.test(v.replace(/,/g, ''));
    case 'DATE':
      return DATE.test(v) && !Number.isNaN(Date.parse(v));
    case 'DATETIME':
      return DATETIME.test(v);
    case 'BOOL':
      return BOOLEAN.has(v.toLowerCase());
    default:
      return true;
  }
}

export function seedSchema(csvText: string, options: { delimiter?: string; columnTypes?: Record<string, string> } = {}): SeedField[] {
  const rows = parseCsv(csvText, { delimiter: options.delimiter ?? ',', relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
  const header = rows[0] ?? [];
  const overrides = options.columnTypes ?? {};
  return header.map((name, i) => {
    const override = overrides[name];
    if (override !== undefined) return { name, type: String(override).toUpperCase() };
    const values: string[] = [];
    for (let r = 1; r < rows.length; r++) {
      const raw = (rows[r]![i] ?? '').trim();
      if (!NULLS.has(raw.toLowerCase())) values.push(raw);
    }
    // The first kind that every value fits (an all-null column is an Integer, as in agate).
    const kind = ORDER.find((k) => values.every((v) => fits(k, v)))!;
    if (kind !== 'NUMBER') return { name, type: kind };
    // dbt-bigquery: FLOAT64 when some value has digits after the decimal point (agate's MaxPrecision).
    return { name, type: values.some((v) => /\.\d|[eE]-/.test(v)) ? 'FLOAT64' : 'INT64' };
  });
}
