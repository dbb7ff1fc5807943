/**
 * Every statement the BigQuery dialect generates is parsed by a real SQL parser in its BigQuery dialect
 * (sql-parser-cst), and pinned side by side with the DuckDB statement for the same verb in
 * __snapshots__/dialects.sql (review that file when a statement changes).
 */
import { describe, it, expect } from 'vitest';
import { parse, type ParserOptions } from 'sql-parser-cst';
import { bigqueryDialect as bq } from './bigquery-dialect.js';
import { duckdbDialect as duck } from '../duckdb/duckdb-dialect.js';
import type { Dialect, PartitionSpec, Relation } from '../contract.js';
import { partitionSpecOf } from '../partition-spec.js';

/** BigQuery, with named query parameters (`@STRATA_PII_PEPPER`), as the jobs send them. */
const BQ: ParserOptions = { dialect: 'bigquery', paramTypes: ['@name'] };

const target: Relation = { database: 'acme-prod', schema: 'gold', identifier: 'fct_complaints' };
const staging: Relation = { ...target, identifier: 'fct_complaints__strata_tmp' };
const model = "select complaint_id, opened_at, status, 'it\\'s' as note\nfrom `acme-prod`.`silver`.`complaints`\nwhere true\nqualify row_number() over (partition by complaint_id order by opened_at desc) = 1";
const daily: PartitionSpec = partitionSpecOf({ field: 'opened_at', data_type: 'timestamp', granularity: 'day' })!;
const monthlyDate: PartitionSpec = partitionSpecOf({ field: 'opened_on', data_type: 'date', granularity: 'month' })!;
const ranged: PartitionSpec = partitionSpecOf({ field: 'customer_id', data_type: 'int64', range: { start: 0, end: 100000, interval: 1000 } })!;

/** The statements of one verb, for both dialects (DuckDB has no insert_overwrite or column options). */
function statements(d: Dialect): [string, string][] {
  const out: [string, string][] = [
    ['create schema', d.createSchema('silver', 'acme-prod')],
    ['view', d.createViewAs(target, model, { config: { persist_docs: { relation: true }, labels: { team: 'care' } }, description: "Complaints, one row each; it's documented" })],
    ['table', d.createTableAs(target, model)],
    ['table, partitioned by day, clustered, options', d.createTableAs(target, model, { config: { partition_by: { field: 'opened_at', data_type: 'timestamp' }, cluster_by: ['status', 'complaint_id'], require_partition_filter: true, partition_expiration_days: 400, labels: { layer: 'gold', cost_center: 'cc-42' }, persist_docs: { relation: true } }, description: 'Facts' })],
    ['table, partitioned by month (date)', d.createTableAs(target, model, { config: { partition_by: { field: 'opened_on', data_type: 'date', granularity: 'month' } } })],
    ['table, integer range partitions', d.createTableAs(target, model, { config: { partition_by: { field: 'customer_id', data_type: 'int64', range: { start: 0, end: 100000, interval: 1000 } } } })],
    ['drop table', d.dropRelation(target, 'table')],
    ['drop view', d.dropRelation(target, 'view')],
    ['rename', d.renameRelation(staging, 'fct_complaints', 'table')],
    ['insert (append)', d.insertInto(target, `select * from ${d.renderRelation(staging)}`, ['complaint_id', 'opened_at', 'status'])],
    ['merge on a key', d.merge(target, staging, ['complaint_id'], ['complaint_id', 'opened_at', 'status'])],
    ['merge on a composite key', d.merge(target, staging, ['complaint_id', 'channel'], ['complaint_id', 'channel', 'status'])],
    ['merge updating some columns (merge_update_columns)', d.merge(target, staging, ['complaint_id'], ['complaint_id', 'opened_at', 'status'], { updateColumns: ['status'] })],
    ['merge inserting new keys only (every column excluded)', d.merge(target, staging, ['complaint_id'], ['complaint_id', 'opened_at', 'status'], { updateColumns: [] })],
    ['delete+insert: delete', d.deleteWhereKeyIn(target, staging, ['complaint_id', 'channel'])],
    ['add columns', d.addColumns(target, [{ name: 'sla_breached', dataType: d.typeName('boolean') }, { name: 'resolution_hours', dataType: d.typeName('float') }])],
    ['count rows', d.countRows(model)],
    ['freshness', `select max(loaded_at) as max_loaded_at, ${d.secondsSince('max(loaded_at)')} as age_seconds from ${d.renderRelation(target)}`],
    ['secret reference', `select to_hex(sha256(concat(lower(email), ${d.secretReference('STRATA_PII_PEPPER')}))) as email_hash from ${d.renderRelation(target)}`],
  ];
  if (d.name === 'bigquery') {
    out.push(
      ['merge, pruned to the partitions of the new rows', d.merge(target, staging, ['complaint_id'], ['complaint_id', 'opened_at', 'status'], { partitionBy: daily })],
      ['merge, pruned, monthly date partitions', d.merge(target, staging, ['complaint_id'], ['complaint_id', 'opened_on'], { partitionBy: monthlyDate })],
      ['merge, pruned, integer ranges', d.merge(target, staging, ['complaint_id'], ['complaint_id', 'customer_id'], { partitionBy: ranged })],
      ['insert_overwrite, dynamic partitions', d.insertOverwrite!(target, staging, ['complaint_id', 'opened_at', 'status'], daily)],
      ['insert_overwrite, static partitions', d.insertOverwrite!(target, staging, ['complaint_id', 'opened_at', 'status'], daily, ["timestamp('2026-01-01')", "timestamp('2026-01-02')"])],
      ...d.columnDescriptions!(target, [{ name: 'status', dataType: 'STRING', description: "normalised: 'open', 'closed'…" }]).map((s): [string, string] => ['column description', s]),
      ['temp table', d.createTableAs(staging, model, { temporary: true })],
      ['external table, hive partitions', d.createExternalTable!(target, ['gs://drop/calls/*'], 'parquet', 'gs://drop/calls/')],
      ['external table, csv', d.createExternalTable!(target, ['gs://drop/calls/*'], 'csv')],
    );
  }
  return out;
}

describe('BigQuery dialect', () => {
  const bqStatements = statements(bq);

  it.each(bqStatements)('%s parses as BigQuery SQL', (_name, sql) => {
    expect(() => parse(sql, BQ)).not.toThrow();
  });

  it('the parser rejects what BigQuery rejects (so the checks above can fail)', () => {
    expect(() => parse('create or replace table "p"."d"."t" as (select 1)', { dialect: 'bigquery' })).toThrow();
    expect(() => parse(duck.merge(target, staging, ['a'], ['a']).replace('merge into', 'merge intoo'), { dialect: 'bigquery' })).toThrow();
  });

  it('quotes identifiers and strings the BigQuery way', () => {
    expect(bq.renderRelation({ database: 'my-proj', schema: 'd', identifier: 'weird`name' })).toBe('`my-proj`.`d`.`weird\\`name`');
    expect(bq.quoteString("it's a \\ path\n")).toBe("'it\\'s a \\\\ path\\n'");
    const sql = `select ${bq.quoteString("it's")} as a`;
    const cst = parse(sql, { dialect: 'bigquery', includeRange: true });
    expect(cst.statements).toHaveLength(1);
  });

  it('merge with partition pruning restricts the target scan to the new rows\u2019 partitions', () => {
    const sql = bq.merge(target, staging, ['complaint_id'], ['complaint_id'], { partitionBy: daily });
    const types = parse(sql, { dialect: 'bigquery' }).statements.map((s) => s.type);
    expect(types).toEqual(['declare_stmt', 'merge_stmt']);
    expect(sql).toContain('timestamp_trunc(DBT_INTERNAL_DEST.`opened_at`, day) in unnest(strata_partitions)');
    expect(sql).toContain('select array_agg(distinct timestamp_trunc(`opened_at`, day)) from `acme-prod`.`gold`.`fct_complaints__strata_tmp`');
  });

  it('merge without pruning matches on the key alone; under require_partition_filter with dbt\u2019s always-true filter', () => {
    const plain = bq.merge(target, staging, ['complaint_id'], ['complaint_id']);
    expect(parse(plain, { dialect: 'bigquery' }).statements.map((s) => s.type)).toEqual(['merge_stmt']);
    expect(plain).toContain('on DBT_INTERNAL_DEST.`complaint_id` = DBT_INTERNAL_SOURCE.`complaint_id`\nwhen matched');
    const filtered = bq.merge(target, staging, ['complaint_id'], ['complaint_id'], { partitionFilterFor: daily });
    expect(() => parse(filtered, { dialect: 'bigquery' })).not.toThrow();
    expect(filtered).toContain('= DBT_INTERNAL_SOURCE.`complaint_id` and (DBT_INTERNAL_DEST.`opened_at` is null or DBT_INTERNAL_DEST.`opened_at` is not null)\nwhen matched');
  });

  it('declares _dbt_max_partition as dbt-bigquery: the target\u2019s greatest non-null partition value, typed', () => {
    const sql = bq.declareMaxPartition(target, monthlyDate);
    expect(parse(`${sql};\nselect 1`, { dialect: 'bigquery' }).statements.map((s) => s.type)).toEqual(['declare_stmt', 'select_stmt']);
    expect(sql).toBe('declare _dbt_max_partition date default (\n  select max(`opened_on`) from `acme-prod`.`gold`.`fct_complaints`\n  where `opened_on` is not null\n)');
  });

  it('adds incremental_predicates to merge and delete+insert, over dbt\u2019s aliases', () => {
    const predicate = 'DBT_INTERNAL_DEST.`opened_at` > timestamp_sub(current_timestamp(), interval 7 day)';
    const merge = bq.merge(target, staging, ['complaint_id'], ['complaint_id', 'status'], { partitionBy: daily, predicates: [predicate] });
    expect(parse(merge, { dialect: 'bigquery' }).statements.map((s) => s.type)).toEqual(['declare_stmt', 'merge_stmt']);
    expect(merge).toContain(`in unnest(strata_partitions) and (${predicate})`);
    const del = bq.deleteWhereKeyIn(target, staging, ['complaint_id'], [predicate]);
    expect(() => parse(del, { dialect: 'bigquery' })).not.toThrow();
    expect(del.endsWith(` and (${predicate})`)).toBe(true);
  });

  it('rejects malformed partition_by with the fix in the message', () => {
    expect(() => partitionSpecOf({ field: 'x', data_type: 'string' })).toThrow(/data_type 'string' is not one of date, timestamp, datetime, int64/);
    expect(() => partitionSpecOf({ field: 'x', data_type: 'int64' })).toThrow(/range: \{start, end, interval\}/);
    expect(() => partitionSpecOf('opened_at')).toThrow(/must be a mapping/);
  });

  it('is pinned side by side with the DuckDB statements', async () => {
    const duckByName = new Map(statements(duck));
    const text = bqStatements
      .map(([name, sql]) => `-- ${name}\n-- duckdb:\n${duckByName.has(name) ? duckByName.get(name)!.split('\n').map((l) => `--   ${l}`).join('\n') : '--   (not on duckdb)'}\n-- bigquery:\n${sql};\n`)
      .join('\n');
    await expect(text).toMatchFileSnapshot('__snapshots__/dialects.sql');
  });
});
