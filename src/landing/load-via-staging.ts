import { createHash } from 'node:crypto';
import type { ColumnDef, Relation } from '../adapters/contract.js';
import type { ExternalSpec } from '../parse/types.js';
import type { ObjectInfo } from './object-store.js';
import { LANDING_COLUMNS, type Ledger } from './ledger.js';
import { formatOf, isHivePartitioned } from './external-spec.js';
import type { LandSourceOptions } from './land-source.js';
import { LandingFileError } from './schema-evolution.js';


function compatible(tableType: string, fileType: string): boolean {
  const t = tableType.toUpperCase();
  const f = fileType.toUpperCase();
  return t === f || t === 'STRING' || (t === 'FLOAT64' && f === 'INT64') || (t === 'NUMERIC' && f === 'INT64');
}

const typeOf = (c: ColumnDef): string => `${c.repeated ? 'repeated ' : ''}${c.fields ? 'RECORD' : c.dataType}`;

/**
 * What a file's RECORD column has that the table's lacks: a new field (at any depth), or a field of another
 * type. An insert would refuse them with no word on what to do; BigQuery's SQL cannot add a nested field.
 */
function recordChanges(table: ColumnDef, file: ColumnDef, path: string): string[] {
  if (!table.fields && !file.fields) return path === table.name || compatible(table.dataType, file.dataType) ? [] : [`${path} is ${file.dataType} in this file but ${table.dataType} in the table`];
  if (!table.fields || !file.fields || !!table.repeated !== !!file.repeated) return [`${path} is ${typeOf(file)} in this file but ${typeOf(table)} in the table`];
  return file.fields.flatMap((f) => {
    const t = table.fields!.find((x) => x.name.toLowerCase() === f.name.toLowerCase());
    return t ? recordChanges(t, f, `${path}.${f.name}`) : [`${path}.${f.name} (${typeOf(f)}) is new`];
  });
}

/**
 * Landing where DDL cannot run in a transaction (BigQuery): the file goes to the GCS staging bucket, a
 * load job (deterministic id) fills a per-file staging table, then one multi-statement transaction inserts
 * its rows into bronze together with the ledger row — so an object is landed exactly once even across
 * crashes: until that transaction commits, the ledger does not list it and a rerun loads it again.
 */
export async function loadViaStaging(o: LandSourceOptions, ledger: Ledger, label: string, obj: ObjectInfo, file: string, spec: ExternalSpec, reland: boolean): Promise<number> {
  const { connection: c, dialect: d, relation } = o;
  if (!o.staging || !c.loadFiles) throw new Error(`landing into ${d.name} needs gcs_staging_bucket in the profile output (a bucket in the same location as the dataset)`);
  const hash = createHash('sha256').update(`${label}\n${obj.key}\n${obj.etag}`).digest('hex').slice(0, 16);
  const base = `${o.invocationId}/${o.source.sourceName}/${o.source.name}`;
  const uri = await o.staging.upload(file, `${base}/${obj.key}`);
  const stage: Relation = { ...relation, identifier: `${relation.identifier}__strata_land_${hash}` };
  const q = (n: string): string => d.quoteIdentifier(n);
  try {
    const format = formatOf(spec, obj.key);
    const hive = isHivePartitioned(spec);
    const { rows, columns } = await c.loadFiles(stage, [uri], {
      format,
      jobId: `strata_land_${o.invocationId.replace(/-/g, '')}_${hash}`,
      ...(spec.options ? { options: spec.options } : {}),
      ...(hive ? { hivePrefix: `gs://${o.staging.bucket}/strata-landing/${base}/` } : {}),
    });
    const target = d.renderRelation(relation);
    const sourceUri = d.quoteString(o.store.uri(obj.key));
    const names = columns.map((col) => col.name);
    const select = `select ${names.map(q).join(', ')}, ${sourceUri} as _strata_source_file, current_timestamp() as _strata_loaded_at, ${d.quoteString(o.invocationId)} as _strata_invocation_id from ${d.renderRelation(stage)}`;
    const existing = await c.getRelation(relation);
    if (!existing) await c.execute(d.createTableAs(relation, `${select} where false`));
    else {
      const have = new Map((await c.getColumns(relation)).map((col) => [col.name.toLowerCase(), col]));
      // Checked before the table changes: a file refused leaves it as it was.
      for (const col of columns) {
        const current = have.get(col.name.toLowerCase());
        if (current && !compatible(current.dataType, col.dataType)) throw new Error(`column ${col.name} is ${col.dataType} in this file but ${current.dataType} in ${target}`);
        const changes = current && (current.fields || col.fields) ? recordChanges(current, col, current.name) : [];
        if (changes.length) {
          const fix = changes.some((x) => x.endsWith(' is new'))
            ? "BigQuery's SQL cannot add a field inside a RECORD: add the new field(s) to the table's schema once (the console's Edit schema, or bq update with the table's schema plus the new fields, NULLABLE), or fix the file"
            : 'fix the file';
          throw new LandingFileError(`column ${current!.name} of ${target} cannot take this file's ${col.name}, so nothing of the file was landed: ${changes.join('; ')}. What to do: ${fix}, and land again: failed files are retried`);
        }
      }
      const added = columns.filter((col) => !have.has(col.name.toLowerCase()));
      if (added.length) await c.execute(d.addColumns(relation, added));
    }
    await c.execute(
      [
        d.beginTransaction(),
        ...(reland ? [`delete from ${target} where _strata_source_file = ${sourceUri}`, ledger.supersedeSql(label, obj.key, o.store.uri(obj.key))] : []),
        `insert into ${target} (${[...names, ...LANDING_COLUMNS].map(q).join(', ')})\n${select}`,
        ledger.insertSql({ source: label, key: obj.key, uri: o.store.uri(obj.key), etag: obj.etag, size: obj.size, rowCount: rows, invocationId: o.invocationId, status: 'loaded', error: null }),
        d.commitTransaction(),
      ].join(';\n'),
    );
    return rows;
  } finally {
    await c.execute(d.dropRelation(stage, 'table')).catch(() => undefined);
    await o.staging.remove(uri).catch(() => undefined);
  }
}
