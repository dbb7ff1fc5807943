/**
 * A CSV load job's values read as BigQuery reads them: a field equal to the null marker (`nullMarker`,
 * by default the empty string) is NULL, and any other text must parse as its column's type — the text
 * `null` in an INT64 column is no NULL but an error that fails the job, as on BigQuery.
 */
import type { TableField } from './bigquery-types.js';
import type { DuckWarehouse } from './duckdb-warehouse.js';
import { duckTypeOfField, quoteIdent, quoteString } from './to-duckdb.js';

/**
 * A CSV value that does not parse as its column's type: the load job fails with this message (`invalid`);
 * or one the local BigQuery cannot hold as BigQuery does (`notImplemented`).
 */
export class CsvValueError extends Error {
  constructor(message: string, readonly reason: 'invalid' | 'notImplemented' = 'invalid') {
    super(message);
  }
}

/** BIGNUMERIC text DECIMAL(38,9) holds exactly (bignumeric-scale.ts): at most 29 integer digits and 9 decimals. */
const BIGNUMERIC_HELD = '[+-]?0*([0-9]{1,29}([.][0-9]{0,9}0*)?|[.][0-9]{1,9}0*)';

/** BigQuery's name of a REST field type, as its messages spell it. */
const SPELLED: Record<string, string> = { INTEGER: 'INT64', FLOAT: 'FLOAT64', BOOLEAN: 'BOOL' };

/** read_csv's columns: every field as text (checked and cast afterwards), nulls by the job's marker. */
export function textColumns(fields: TableField[], nullMarker: string | undefined): string {
  const columns = fields.map((c) => `${quoteString(c.name)}: ${quoteString((c.mode ?? '').toUpperCase() === 'REPEATED' || c.type.toUpperCase() === 'RECORD' ? duckTypeOfField(c) : 'VARCHAR')}`);
  return `columns = {${columns.join(', ')}}, nullstr = ${quoteString(nullMarker ?? '')}`;
}

/**
 * Checks the staged text rows against the schema, column by column, and gives the SELECT that casts them.
 * `firstLine` is the file line of the first data row (after skipped header rows).
 */
export async function castCsvText(wh: DuckWarehouse, staged: string, fields: TableField[], firstLine: number): Promise<string> {
  const casts: string[] = [];
  let first: { n: number; v: string; position: number; field: TableField } | undefined;
  for (const [position, f] of fields.entries()) {
    const col = quoteIdent(f.name);
    const type = duckTypeOfField(f);
    if (type === 'VARCHAR' || type.endsWith('[]') || type.startsWith('STRUCT')) {
      casts.push(`${col}`);
      continue;
    }
    casts.push(`cast(${col} as ${type}) as ${col}`);
    if (/^BIG(NUMERIC|DECIMAL)$/i.test(f.type)) {
      const beyond = await wh.rows(`select ${col} from ${staged} where ${col} is not null and try_cast(${col} as DOUBLE) is not null and not regexp_full_match(trim(${col}), ${quoteString(BIGNUMERIC_HELD)}) limit 1`);
      if (beyond.length) throw new CsvValueError(`The local BigQuery cannot load '${String(beyond[0]![0])}' into BIGNUMERIC field ${f.name} as BigQuery does: it holds BIGNUMERIC with 9 decimal digits and 29 integer digits (BigQuery: 38 of each)`, 'notImplemented');
    }
    const bad = await wh.rows(`select n, v from (select row_number() over () as n, ${col} as v from ${staged}) where v is not null and try_cast(v as ${type}) is null order by n limit 1`);
    const n = Number(bad[0]?.[0]);
    // The first bad value in the file's order (row, then field), as BigQuery reads it.
    if (bad.length && (!first || n < first.n)) first = { n, v: String(bad[0]![1]), position, field: f };
  }
  if (first) {
    const spelled = SPELLED[first.field.type.toUpperCase()] ?? first.field.type.toUpperCase();
    throw new CsvValueError(`Error while reading data, error message: Could not parse '${first.v}' as ${spelled} for field ${first.field.name} (position ${first.position}) on line ${firstLine + first.n - 1}`);
  }
  return `select ${casts.join(', ')} from ${staged}`;
}
