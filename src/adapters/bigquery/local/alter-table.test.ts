/**
 * ALTER TABLE on the local BigQuery: DROP COLUMN takes the column out of the rows and of the catalog
 * (tables.get, INFORMATION_SCHEMA), a two-part name resolves in the job's project as in any other statement,
 * and an action the server does not carry out fails its job — never a silent success.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startLocalBigQuery, type LocalBigQuery } from './local-bigquery-server.js';
import { analyzerPlatformGap, getTable, query, queryRows } from '../../../test-support/local-bigquery-client.js';

describe.skipIf(analyzerPlatformGap)('ALTER TABLE on the local BigQuery', () => {
  let bq: LocalBigQuery;
  const run = (sql: string) => query(bq.endpoint, sql, { project: 'acme-alter' });
  const columns = async (table: string): Promise<string[]> => ((await getTable(bq.endpoint, `acme-alter.shop.${table}`)).schema.fields as { name: string }[]).map((f) => f.name);
  beforeAll(async () => {
    bq = await startLocalBigQuery();
    expect((await run("create schema `acme-alter`.`shop`")).error).toBeUndefined();
    for (const t of ['parcels', 'crates']) expect((await run(`create table \`acme-alter\`.\`shop\`.\`${t}\` as select 1 as id, 'heavy' as weight_class, 4 as boxes`)).error).toBeUndefined();
  });
  afterAll(async () => {
    await bq.close();
  });

  it('drops a column from the rows and from the catalog', async () => {
    expect((await run('alter table `acme-alter`.`shop`.`parcels` drop column `weight_class`')).error).toBeUndefined();
    expect(await columns('parcels')).toEqual(['id', 'boxes']);
    expect(await queryRows(bq.endpoint, 'select * from `acme-alter`.`shop`.`parcels`', { project: 'acme-alter' })).toEqual([{ id: '1', boxes: '4' }]);
    expect(await queryRows(bq.endpoint, "select column_name from `acme-alter`.shop.INFORMATION_SCHEMA.COLUMNS where table_name = 'parcels' order by ordinal_position", { project: 'acme-alter' })).toEqual([{ column_name: 'id' }, { column_name: 'boxes' }]);
    expect((await run('alter table `acme-alter`.`shop`.`parcels` drop column if exists `weight_class`')).error).toBeUndefined();
    expect((await run('alter table `acme-alter`.`shop`.`parcels` drop column `weight_class`')).error?.reason).toBe('invalidQuery');
  });

  it('resolves a two-part name in the job’s project', async () => {
    expect((await run('alter table shop.crates add column label string')).error).toBeUndefined();
    expect((await run('alter table shop.crates drop column boxes')).error).toBeUndefined();
    expect(await columns('crates')).toEqual(['id', 'weight_class', 'label']);
    expect(await queryRows(bq.endpoint, 'select * from shop.crates', { project: 'acme-alter' })).toEqual([{ id: '1', weight_class: 'heavy', label: null }]);
  });

  it('accepts the actions that change no rows (options, descriptions, defaults)', async () => {
    for (const action of ["alter column `id` set options(description = 'the crate')", 'alter column `id` drop not null', "set options(description = 'crates')"]) {
      expect((await run(`alter table \`acme-alter\`.\`shop\`.\`crates\` ${action}`)).error).toBeUndefined();
    }
  });

  it('refuses an action it does not carry out, naming it', async () => {
    const answer = await run('alter table `acme-alter`.`shop`.`crates` rename column label to tag');
    expect(answer.error).toMatchObject({ reason: 'notImplemented', message: expect.stringMatching(/rename column/i) });
    expect(await columns('crates')).toEqual(['id', 'weight_class', 'label']);
  });
});
