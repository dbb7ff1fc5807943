/**
 * A query's rows as records, one key per column even where the result repeats a name: BigQuery allows
 * `select 1 as a, 'x' as a` (without a destination table), and the client's own parsing keys each row by
 * field name, so the last `a` would hide the first. As agate does for dbt (its DuplicateColumnWarning), a
 * repeated name is renamed `a_2`, `a_3`, … (a name already taken is skipped), and the client's converter
 * runs on the schema so renamed: each cell keeps its own value, converted as the client converts it.
 */
import type { TableRow } from '@google-cloud/bigquery';

export interface RestField { name: string; type: string; mode?: string; description?: string; fields?: RestField[] }

/** Top-level names made unique as agate makes a table's column names unique. */
export function uniqueNames(fields: RestField[]): RestField[] {
  const taken = new Set<string>();
  return fields.map((f) => {
    let name = f.name;
    for (let n = 2; taken.has(name); n++) name = `${f.name}_${n}`;
    taken.add(name);
    return name === f.name ? f : { ...f, name };
  });
}

/** The REST rows (`{f: [{v}]}`) of a result as records keyed by the unique names. */
export async function resultRecords(fields: RestField[], rows: TableRow[]): Promise<Record<string, unknown>[]> {
  const { BigQuery } = await import('@google-cloud/bigquery');
  return BigQuery.mergeSchemaWithRows_({ fields }, rows, { wrapIntegers: false, parseJSON: false }) as Record<string, unknown>[];
}
