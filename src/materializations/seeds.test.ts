/** Seeds on a real DuckDB file, through the api: column types as dbt-duckdb gives them, reloads. */
import { describe, it, expect } from 'vitest';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { seed } from '../api/index.js';

const project = duckDbProjectsRemovedAfterAll();

describe('seeds', () => {
  it('honours column_types and replaces the table on reload', async () => {
    const p = project({ 'seeds/s.csv': 'id,code\n1,007\n2,010\n', 'project.yml': 'name: p\nprofile: p\nseeds:\n  p:\n    s:\n      +column_types: {code: varchar}\n' });
    expect((await seed({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    expect(await p.q('select code from main.s order by id')).toEqual([{ code: '007' }, { code: '010' }]);
    p.write('seeds/s.csv', 'id,code\n3,999\n');
    await seed({ projectDir: p.dir, profilesDir: p.dir });
    expect(await p.q('select id::int as id, code from main.s')).toEqual([{ id: 3, code: '999' }]);
  });

  it('makes a column with no value an integer, as dbt (agate), unless column_types says otherwise', async () => {
    const p = project({ 'seeds/s.csv': 'id,estimate,note,label\n1,,,a\n2,,,b\n', 'project.yml': 'name: p\nprofile: p\nseeds:\n  p:\n    +column_types: {note: varchar}\n' });
    expect((await seed({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    expect(await p.q("select column_name, data_type from information_schema.columns where table_name = 's' order by ordinal_position")).toEqual([
      { column_name: 'id', data_type: 'INTEGER' }, { column_name: 'estimate', data_type: 'INTEGER' }, { column_name: 'note', data_type: 'VARCHAR' }, { column_name: 'label', data_type: 'VARCHAR' },
    ]);
    // Fivetran's jira: sum(case when estimate is null then 0 else estimate end) over such a column.
    expect(await p.q('select sum(case when estimate is null then 0 else estimate end)::int as total from main.s')).toEqual([{ total: 0 }]);
  });

  it("types each column as dbt-duckdb does (agate's tester, dbt's type names), wider where dbt-duckdb's copy would fail", async () => {
    const csv = [
      'n,big,huge,amount,day,at,iso,flag,code,note,mixed,clock,us_day,empty',
      '1,3000000000,99999999999999999999,1.5,2024-01-02,2024-01-02 03:04:05,2024-01-02T03:04:05Z,true,007,a,1,10:30:00,01/02/2024,',
      '-2,4,5,2,2024-12-31,2024-12-31 23:59:59,2024-12-31T23:59,FALSE,010,b,null,11:00:00,12/31/2024,',
    ].join('\n');
    const p = project({ 'seeds/s.csv': `${csv}\n` });
    expect((await seed({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    const types = await p.q("select column_name as c, data_type as t from information_schema.columns where table_name = 's' order by ordinal_position");
    expect(Object.fromEntries(types.map((r) => [r.c, r.t]))).toEqual({
      n: 'INTEGER', big: 'BIGINT', huge: 'HUGEINT', amount: 'DOUBLE', day: 'DATE', at: 'TIMESTAMP', iso: 'TIMESTAMP', flag: 'BOOLEAN',
      code: 'INTEGER', note: 'VARCHAR', mixed: 'VARCHAR', clock: 'VARCHAR', us_day: 'VARCHAR', empty: 'INTEGER',
    });
    expect(await p.q('select n, big::varchar as big, huge::varchar as huge, amount, day::varchar as day, "at"::varchar as "at", iso::varchar as iso, flag, code, mixed from main.s order by n')).toEqual([
      { n: -2, big: '4', huge: '5', amount: 2, day: '2024-12-31', at: '2024-12-31 23:59:59', iso: '2024-12-31 23:59:00', flag: false, code: 10, mixed: 'null' },
      { n: 1, big: '3000000000', huge: '99999999999999999999', amount: 1.5, day: '2024-01-02', at: '2024-01-02 03:04:05', iso: '2024-01-02 03:04:05', flag: true, code: 7, mixed: '1' },
    ]);
  });

  it('loads what the sniffer would read otherwise (US dates beside ISO ones, spaces around booleans), whole decimals as integers, NaN as a number', async () => {
    const csv = ['order_day,ship_date,flag,price,ratio,constructor', '01/31/2024,2024-02-01, true,10.00,NaN,a', '02/01/2024,2024-02-03,false ,20.,1.5,b'].join('\n');
    const p = project({ 'seeds/s.csv': `${csv}\n` });
    expect((await seed({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    const types = await p.q("select column_name as c, data_type as t from information_schema.columns where table_name = 's' order by ordinal_position");
    expect(Object.fromEntries(types.map((r) => [r.c, r.t]))).toEqual({ order_day: 'VARCHAR', ship_date: 'DATE', flag: 'BOOLEAN', price: 'INTEGER', ratio: 'DOUBLE', constructor: 'VARCHAR' });
    expect(await p.q('select order_day, ship_date::varchar as ship_date, flag, price from main.s order by price')).toEqual([
      { order_day: '01/31/2024', ship_date: '2024-02-01', flag: true, price: 10 },
      { order_day: '02/01/2024', ship_date: '2024-02-03', flag: false, price: 20 },
    ]);
  });

  it('ignores a column type for a column the file does not have, as dbt (folder-wide +column_types, as Fivetran writes them)', async () => {
    const p = project({ 'seeds/a.csv': 'id,created\n1,2024-01-02 03:04:05\n', 'seeds/b.csv': 'id,code\n1,007\n', 'project.yml': 'name: p\nprofile: p\nseeds:\n  p:\n    +column_types: {created: timestamp, code: varchar, canceled_at: timestamp}\n' });
    expect((await seed({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    expect(await p.q("select data_type from information_schema.columns where table_name = 'a' and column_name = 'created'")).toEqual([{ data_type: 'TIMESTAMP' }]);
    expect(await p.q('select code from main.b')).toEqual([{ code: '007' }]);
  });

  it("with quote_columns false, a header that is no plain SQL name fails the seed (a syntax error in dbt's DDL), the old table kept", async () => {
    const cfg = (delimiter: string): string => `name: p\nprofile: p\nseeds:\n  p:\n    +quote_columns: false\n    +delimiter: '${delimiter}'\n`;
    const p = project({ 'seeds/bins.csv': 'bin_id|aisle\n1|north\n', 'project.yml': cfg('|') });
    expect((await seed({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    p.write('project.yml', cfg(';'));
    const wrong = await seed({ projectDir: p.dir, profilesDir: p.dir });
    expect(wrong.exitCode).toBe(1);
    expect(wrong.results[0]!.message).toContain('column name "bin_id|aisle" is not a plain SQL name and quote_columns is false: its create table statement would be a syntax error');
    expect(await p.q('select aisle from main.bins')).toEqual([{ aisle: 'north' }]);
    // Quoted (the default), any name loads, as in dbt.
    p.write('project.yml', `name: p\nprofile: p\nseeds:\n  p:\n    +delimiter: ';'\n`);
    expect((await seed({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
  });
});
