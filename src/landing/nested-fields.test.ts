/** Landing into a bronze table (land_as: table): a later file's new nested field or wider type is kept, or the file fails by name — never dropped. */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb, runDuckDb } from '../test-support/duckdb-query.js';
import { land } from '../api/index.js';
import { parquetBytes } from './test-support/s3-fixtures.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

function project(format = 'ndjson', landAs = 'table'): { dir: string; db: string; drop: string } {
  const dir = writeProject({
    'models/sources.yml': `version: 2\nsources:\n  - name: landing\n    schema: bronze\n    tables:\n      - name: posts\n        external:\n          location: landing/posts/\n          format: ${format}\n          land_as: ${landAs}\n`,
  });
  dirs.push(dir);
  const drop = join(dir, 'landing', 'posts');
  mkdirSync(drop, { recursive: true });
  return { dir, db: join(dir, 'target', 'test.duckdb'), drop };
}

const ndjson = (...rows: unknown[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const typeOf = async (db: string, column: string): Promise<unknown> =>
  (await queryDuckDb(db, `select data_type from information_schema.columns where table_schema = 'bronze' and table_name = 'posts' and column_name = '${column}'`))[0]?.data_type;
const landOk = async (dir: string): Promise<void> => {
  const r = await land({ projectDir: dir, profilesDir: dir });
  expect(r.exitCode, r.results[0]?.message).toBe(0);
};


describe('landing into a bronze table: nested fields and wider types', () => {
  it('keeps a new field inside a struct: the column widens, earlier rows have it null', async () => {
    const { dir, db, drop } = project();
    writeFileSync(join(drop, 'day_1.json'), ndjson({ id: 1, author: { id: 1, handle: 'x' } }));
    await landOk(dir);
    writeFileSync(join(drop, 'day_2.json'), ndjson({ id: 2, author: { id: 2, handle: 'y', verified: true } }));
    const events: string[] = [];
    const r = await land({ projectDir: dir, profilesDir: dir, reporter: { emit: (e) => { if (e.type === 'info') events.push(e.message); } } });
    expect(r.exitCode, r.results[0]?.message).toBe(0);
    expect(events).toContain('landing.posts: "bronze"."posts" widened for day_2.json: author.verified (new); new fields are null in earlier rows');
    expect(await queryDuckDb(db, 'select id::int as id, author.handle as handle, author.verified as verified from bronze.posts order by id')).toEqual([
      { id: 1, handle: 'x', verified: null },
      { id: 2, handle: 'y', verified: true },
    ]);
    expect(await typeOf(db, 'author')).toBe('STRUCT(id BIGINT, handle VARCHAR, verified BOOLEAN)');
    // A later day without the field (or with it null all day) lands as before: the field is null in its rows.
    writeFileSync(join(drop, 'day_3.json'), ndjson({ id: 3, author: { id: 3, handle: null } }));
    await landOk(dir);
    expect(await queryDuckDb(db, 'select author.verified as v, author.handle as h from bronze.posts where id = 3')).toEqual([{ v: null, h: null }]);
  });

  it('keeps new fields in a list of structs and in a struct inside a struct, landed in one run', async () => {
    const { dir, db, drop } = project();
    writeFileSync(join(drop, 'day_1.json'), ndjson({ id: 1, tags: [{ k: 'a' }], meta: { src: { app: 'web' } } }));
    writeFileSync(join(drop, 'day_2.json'), ndjson({ id: 2, tags: [{ k: 'b', w: 2.5 }, { k: 'c', w: 1 }], meta: { src: { app: 'ios', ver: '17' }, geo: 'eu' } }));
    await landOk(dir);
    expect(await queryDuckDb(db, "select id::int as id, list_transform(tags, t -> t.w) as w, meta.src.ver as ver, meta.geo as geo from bronze.posts order by id")).toEqual([
      { id: 1, w: [null], ver: null, geo: null },
      { id: 2, w: [2.5, 1], ver: '17', geo: 'eu' },
    ]);
    expect(await typeOf(db, 'tags')).toBe('STRUCT(k VARCHAR, w DOUBLE)[]');
    expect(await typeOf(db, 'meta')).toBe('STRUCT(src STRUCT(app VARCHAR, ver VARCHAR), geo VARCHAR)');
  });

  it('widens an integer that meets a double, in a column and in a struct field, instead of rounding', async () => {
    const { dir, db, drop } = project();
    writeFileSync(join(drop, 'day_1.json'), ndjson({ id: 1, score: 1, author: { id: 1, karma: 10 } }));
    await landOk(dir);
    writeFileSync(join(drop, 'day_2.json'), ndjson({ id: 2, score: 1.5, author: { id: 2, karma: 10.25 } }));
    await landOk(dir);
    expect(await queryDuckDb(db, 'select id::int as id, score, author.karma as karma from bronze.posts order by id')).toEqual([
      { id: 1, score: 1, karma: 10 },
      { id: 2, score: 1.5, karma: 10.25 },
    ]);
    expect(await typeOf(db, 'score')).toBe('DOUBLE');
    expect(await typeOf(db, 'author')).toBe('STRUCT(id BIGINT, karma DOUBLE)');
  });

  it('a nested field whose type the table cannot hold fails that file by name, with the statement that widens it; the rest lands', async () => {
    const { dir, db, drop } = project();
    writeFileSync(join(drop, 'day_1.json'), ndjson({ id: 1, author: { id: 1, handle: 'x' } }));
    await landOk(dir);
    writeFileSync(join(drop, 'day_2.json'), ndjson({ id: 2, author: { id: 'u-2', handle: 'y', verified: true } }));
    writeFileSync(join(drop, 'day_3.json'), ndjson({ id: 3, author: { id: 3, handle: 'z' } }));
    const r = await land({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode).toBe(1);
    const message = r.results[0]?.message ?? '';
    expect(message).toContain('day_2.json: field author.id of column author is VARCHAR in this file but BIGINT in "bronze"."posts"; nothing of the file was landed');
    const alter = 'alter table "bronze"."posts" alter column "author" set data type STRUCT("id" VARCHAR, "handle" VARCHAR, "verified" BOOLEAN)';
    expect(message).toContain(alter);
    expect(await typeOf(db, 'author')).toBe('STRUCT(id BIGINT, handle VARCHAR)');
    expect(await queryDuckDb(db, 'select id::int as id from bronze.posts order by id')).toEqual([{ id: 1 }, { id: 3 }]);
    expect(await queryDuckDb(db, "select key, status from strata_meta.landed_files where key = 'day_2.json'")).toEqual([{ key: 'day_2.json', status: 'failed' }]);
    // The hint works: widened once, the failed file lands on the next run with its values as they are.
    await runDuckDb(db, alter);
    await landOk(dir);
    expect(await queryDuckDb(db, 'select id::int as id, author.id as author_id, author.verified as v from bronze.posts order by id')).toEqual([
      { id: 1, author_id: '1', v: null }, { id: 2, author_id: 'u-2', v: true }, { id: 3, author_id: '3', v: null },
    ]);
  });

  it('a column whose values would change when converted fails by name; a failure after a widening leaves the table as it was', async () => {
    const { dir, db, drop } = project();
    writeFileSync(join(drop, 'day_1.json'), ndjson({ id: 1, flag: 1, author: { id: 1 } }));
    await landOk(dir);
    // A column of mixed values is JSON to the reader, which an integer column would take by rounding ('yes' fails).
    writeFileSync(join(drop, 'day_2.json'), ndjson({ id: 2, flag: 'yes', author: { id: 2 } }, { id: 3, flag: 2, author: { id: 3 } }));
    // The struct widens (verified), then the insert fails on 'q' in the same transaction: the widening goes with it.
    writeFileSync(join(drop, 'day_3.json'), ndjson({ id: 4, flag: 4, author: { id: 'q', verified: true } }, { id: 5, flag: 5, author: { id: 5 } }));
    const r = await land({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode).toBe(1);
    expect(r.results[0]?.message).toMatch(/day_2\.json: column flag is JSON in this file but BIGINT in "bronze"\."posts"; 1 values cannot be converted as they are \(e\.g\. "yes"\)/);
    expect(r.results[0]?.message).toContain('day_3.json: ');
    expect(await typeOf(db, 'author')).toBe('STRUCT(id BIGINT)');
    expect(await queryDuckDb(db, 'select count(*)::int as n from bronze.posts')).toEqual([{ n: 1 }]);
    expect(await queryDuckDb(db, "select key, status from strata_meta.landed_files order by key")).toEqual([
      { key: 'day_1.json', status: 'loaded' }, { key: 'day_2.json', status: 'failed' }, { key: 'day_3.json', status: 'failed' },
    ]);
  });

  it('reads a JSON file once detected with the types found, and dates in the format detection found', async () => {
    const { dir, db, drop } = project();
    writeFileSync(join(drop, 'day_1.json'), ndjson({ id: 1, day: '12-28-2024', author: { id: 1 } }));
    writeFileSync(join(drop, 'day_2.json'), ndjson({ id: 2, day: '01-25-2025', author: { id: 2 } }, { id: 3, day: '12-31-2025', author: { id: 3 } }));
    await landOk(dir);
    expect(await queryDuckDb(db, "select id::int as id, strftime(day, '%Y-%m-%d') as day from bronze.posts order by id")).toEqual([
      { id: 1, day: '2024-12-28' }, { id: 2, day: '2025-01-25' }, { id: 3, day: '2025-12-31' },
    ]);
  });

  it('land_as: parquet: an integer meeting doubles makes the view DOUBLE; text that would round fails by name', async () => {
    const { dir, db, drop } = project('ndjson', 'parquet');
    writeFileSync(join(drop, 'day_1.json'), ndjson({ id: 1, score: 1 }));
    await landOk(dir);
    writeFileSync(join(drop, 'day_2.json'), ndjson({ id: 2, score: 1.5 }));
    await landOk(dir);
    writeFileSync(join(drop, 'day_3.json'), ndjson({ id: 3, score: 3 }));
    await landOk(dir);
    expect(await queryDuckDb(db, 'select id::int as id, score from bronze.posts order by id')).toEqual([{ id: 1, score: 1 }, { id: 2, score: 1.5 }, { id: 3, score: 3 }]);
    expect(await typeOf(db, 'score')).toBe('DOUBLE');
    writeFileSync(join(drop, 'day_4.json'), ndjson({ id: '4.5', score: 4 }));
    const r = await land({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode).toBe(1);
    expect(r.results[0]?.message).toMatch(/day_4\.json: column id is VARCHAR in this file but BIGINT in "bronze"\."posts"; 1 values cannot be converted as they are \(e\.g\. 4\.5\)/);
  });

  it('keeps a new nested field of a Parquet file', async () => {
    const { dir, db, drop } = project('parquet');
    writeFileSync(join(drop, 'day_1.parquet'), await parquetBytes("select 1 as id, {'id': 1, 'handle': 'x'} as author"));
    await landOk(dir);
    writeFileSync(join(drop, 'day_2.parquet'), await parquetBytes("select 2 as id, {'id': 2, 'handle': 'y', 'verified': true} as author"));
    await landOk(dir);
    expect(await queryDuckDb(db, 'select id, author.verified as v from bronze.posts order by id')).toEqual([{ id: 1, v: null }, { id: 2, v: true }]);
  });
});
