import { createHash } from 'node:crypto';
import type { ColumnDef, Relation } from '../adapters/contract.js';
import type { ExternalSpec } from '../parse/types.js';
import type { ObjectInfo } from './object-store.js';
import { LANDING_COLUMNS, landingColumnsSql, type Ledger } from './ledger.js';
import { formatOf, isHivePartitioned } from './external-spec.js';
import type { LandSourceOptions } from './land-source.js';
import { LandingFileError } from './schema-evolution.js';
import { planRecord } from './record-fields.js';


function compatible(tableType: string, fileType: string): boolean {
  const t = tableType.toUpperCase();
  const f = fileType.toUpperCase();
  return t === f || t === 'STRING' || (t === 'FLOAT64' && f === 'INT64') || (t === 'NUMERIC' && f === 'INT64');
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
    // A record whose fields the file has in another order, or lacks, is built by name (see planRecord).
    const byName = new Map<string, string>();
    const selectOf = (): string => `select ${names.map((n) => (byName.has(n) ? `${byName.get(n)} as ${q(n)}` : q(n))).join(', ')}, ${landingColumnsSql(d, o.store.uri(obj.key), 'current_timestamp()', o.invocationId)} from ${d.renderRelation(stage)}`;
    const existing = await c.getRelation(relation);
    if (!existing) await c.execute(d.createTableAs(relation, `${selectOf()} where false`));
    else {
      const have = new Map((await c.getColumns(relation)).map((col) => [col.name.toLowerCase(), col]));
      // Checked before the table changes: a file refused leaves it as it was.
      const records: ColumnDef[] = [];
      const added: string[] = [];
      for (const col of columns) {
        const current = have.get(col.name.toLowerCase());
        if (current && !compatible(current.dataType, col.dataType)) {
          // BigQuery widens INT64 in place to FLOAT64 or NUMERIC (ALTER COLUMN … SET DATA TYPE), nothing else.
          const widen = current.dataType.toUpperCase() === 'INT64' && ['FLOAT64', 'NUMERIC', 'BIGNUMERIC'].includes(col.dataType.toUpperCase());
          const fix = widen ? `widen the column once (alter table ${target} alter column ${q(current.name)} set data type ${col.dataType})` : 'fix the file';
          throw new LandingFileError(`column ${col.name} is ${col.dataType} in this file but ${current.dataType} in ${target}; nothing of the file was landed: ${fix}, and land again: failed files are retried`);
        }
        if (!current || (!current.fields && !col.fields)) continue;
        const plan = planRecord(current, col, compatible, q);
        if (plan.select) byName.set(col.name, plan.select);
        if (plan.problems.length) throw new LandingFileError(`column ${current.name} of ${target} cannot take this file's ${col.name}, so nothing of the file was landed: ${plan.problems.join('; ')}. What to do: fix the file, or the table's schema, and land again: failed files are retried`);
        if (plan.added.length) {
          added.push(...plan.added.map((a) => a.replace(/ \(.*\)$/, '')));
          if (!c.widenRecords) throw new LandingFileError(`column ${current.name} of ${target} lacks this file's ${plan.added.join(', ')}, and ${d.name} cannot add them: add them to the table, and land again`);
          records.push(plan.widened);
        }
      }
      const newColumns = columns.filter((col) => !have.has(col.name.toLowerCase()));
      if (newColumns.length) await c.execute(d.addColumns(relation, newColumns));
      // New fields inside records are added before the insert, as new columns are (nullable: harmless if it fails).
      if (records.length) {
        await c.widenRecords!(relation, records);
        o.reporter.emit({ type: 'info', message: `${label}: ${target} widened for ${obj.key}: ${added.join(', ')} (new fields are null in earlier rows)` });
      }
    }
    await c.execute(
      [
        d.beginTransaction(),
        ...(reland ? [`delete from ${target} where _strata_source_file = ${sourceUri}`, ledger.supersedeSql(label, obj.key, o.store.uri(obj.key))] : []),
        `insert into ${target} (${[...names, ...LANDING_COLUMNS].map(q).join(', ')})\n${selectOf()}`,
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
