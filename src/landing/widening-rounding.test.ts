/** Landing: widening a type never rounds a value (landed or landing), and a nested field's type change fails the file by name, in both bronze modes. */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb, runDuckDb } from '../test-support/duckdb-query.js';
import { land } from '../api/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

function project(landAs: 'table' | 'parquet'): { dir: string; db: string; drop: string } {
  const dir = writeProject({
    'models/sources.yml': `version: 2\nsources:\n  - name: landing\n    schema: bronze\n    tables:\n      - name: ev\n        external:\n          location: landing/ev/\n          format: ndjson\n          land_as: ${landAs}\n`,
  });
  dirs.push(dir);
  const drop = join(dir, 'landing', 'ev');
  mkdirSync(drop, { recursive: true });
  return { dir, db: join(dir, 'target', 'test.duckdb'), drop };
}

/** 2^60 + 1 and its like: a double cannot hold them (JSON.stringify would round them first, so lines are written as text). */
const BIG = '1234567890123456789';

const typeOf = async (db: string, column: string): Promise<unknown> =>
  (await queryDuckDb(db, `select data_type from information_schema.columns where table_schema = 'bronze' and table_name = 'ev' and column_name = '${column}'`))[0]?.data_type;

async function landing(dir: string): Promise<{ exitCode: number; message: string; infos: string[] }> {
  const infos: string[] = [];
  const r = await land({ projectDir: dir, profilesDir: dir, reporter: { emit: (e) => { if (e.type === 'info') infos.push(e.message); } } });
  return { exitCode: r.exitCode, message: r.results[0]?.message ?? '', infos };
}


describe.each(['table', 'parquet'] as const)('land_as: %s: widening to DOUBLE never rounds', (landAs) => {
  it('an integer column meeting doubles fails the file by name when its landed values would round; the VARCHAR hint lands it', async () => {
    const { dir, db, drop } = project(landAs);
    writeFileSync(join(drop, 'day_1.json'), `{"id": ${BIG}, "v": 1}\n`);
    expect((await landing(dir)).exitCode).toBe(0);
    writeFileSync(join(drop, 'day_2.json'), '{"id": 1.5, "v": 2}\n');
    const r = await landing(dir);
    expect(r.exitCode).toBe(1);
    expect(r.message).toContain(`day_2.json: column id is DOUBLE in this file but BIGINT in "bronze"."ev"; widening it to DOUBLE would round 1 values already landed (e.g. ${BIG}), so nothing of the file was landed`);
    expect(await typeOf(db, 'id')).toBe('BIGINT');
    expect(await queryDuckDb(db, 'select id::varchar as id from bronze.ev')).toEqual([{ id: BIG }]);
    if (landAs === 'parquet') return;
    const alter = 'alter table "bronze"."ev" alter column "id" set data type VARCHAR';
    expect(r.message).toContain(alter);
    await runDuckDb(db, alter);
    expect((await landing(dir)).exitCode).toBe(0);
    expect(await queryDuckDb(db, 'select id from bronze.ev order by v')).toEqual([{ id: BIG }, { id: '1.5' }]);
  });

  it('a DOUBLE column meeting integers a double cannot hold fails the file by name; small integers land', async () => {
    const { dir, db, drop } = project(landAs);
    writeFileSync(join(drop, 'day_1.json'), '{"id": 1, "score": 1.5}\n');
    writeFileSync(join(drop, 'day_2.json'), '{"id": 2, "score": 2}\n');
    expect((await landing(dir)).exitCode).toBe(0);
    writeFileSync(join(drop, 'day_3.json'), `{"id": 3, "score": ${BIG}}\n`);
    const r = await landing(dir);
    expect(r.exitCode).toBe(1);
    expect(r.message).toContain(`day_3.json: column score is BIGINT in this file but DOUBLE in "bronze"."ev"; 1 values would be rounded (e.g. ${BIG}), so nothing of the file was landed`);
    expect(await queryDuckDb(db, 'select id::int as id, score from bronze.ev order by id')).toEqual([{ id: 1, score: 1.5 }, { id: 2, score: 2 }]);
  });

  it('a struct field: an integer meeting doubles, and a double meeting integers, fail by name when a value would round', async () => {
    const { dir, db, drop } = project(landAs);
    writeFileSync(join(drop, 'day_1.json'), `{"id": 1, "a": {"k": ${BIG}, "f": 1.5}, "l": [{"k": 1}]}\n`);
    expect((await landing(dir)).exitCode).toBe(0);
    writeFileSync(join(drop, 'day_2.json'), '{"id": 2, "a": {"k": 2.5, "f": 2}, "l": [{"k": 2}]}\n');
    writeFileSync(join(drop, 'day_3.json'), `{"id": 3, "a": {"k": 3, "f": ${BIG}}, "l": [{"k": 3}]}\n`);
    writeFileSync(join(drop, 'day_4.json'), `{"id": 4, "a": {"k": 4, "f": 4}, "l": [{"k": 4.5}]}\n`);
    writeFileSync(join(drop, 'day_5.json'), `{"id": 5, "a": {"k": 5, "f": 5}, "l": [{"k": 5}, {"k": ${BIG}}]}\n`);
    const r = await landing(dir);
    expect(r.exitCode).toBe(1);
    expect(r.message).toContain(`day_2.json: field a.k of column a is DOUBLE in this file but BIGINT in "bronze"."ev"; widening it to DOUBLE would round 1 values already landed`);
    expect(r.message).toContain(`day_3.json: field a.f of column a is BIGINT in this file but DOUBLE in "bronze"."ev"; 1 values would be rounded`);
    expect(r.message).toContain(`day_5.json: field l[].k of column l is BIGINT in this file but DOUBLE in "bronze"."ev"; 1 values would be rounded`);
    // A list's field widens: its landed values are small.
    expect(await queryDuckDb(db, 'select id::int as id, a.k::varchar as k, a.f as f, l[1].k as lk from bronze.ev order by id')).toEqual([
      { id: 1, k: BIG, f: 1.5, lk: 1 }, { id: 4, k: '4', f: 4, lk: 4.5 },
    ]);
    expect(await typeOf(db, 'a')).toBe('STRUCT(k BIGINT, f DOUBLE)');
    if (landAs === 'table') expect(r.infos).toContain('landing.ev: "bronze"."ev" widened for day_4.json: l[].k (BIGINT → DOUBLE)');
  });
});

describe('land_as: parquet: a nested field whose type changes', () => {
  it('fails the file by name (text, then a struct, in place of an integer), and the view keeps every landed value', async () => {
    const { dir, db, drop } = project('parquet');
    writeFileSync(join(drop, 'day_1.json'), '{"id": 1, "a": {"x": 1}}\n');
    writeFileSync(join(drop, 'day_2.json'), '{"id": 2, "a": {"x": 2, "y": "q"}}\n');
    // A field null all day is JSON to the reader: the view keeps BIGINT.
    writeFileSync(join(drop, 'day_3.json'), '{"id": 3, "a": {"x": null}}\n');
    expect((await landing(dir)).exitCode).toBe(0);
    writeFileSync(join(drop, 'day_4.json'), '{"id": 4, "a": {"x": "abc"}}\n');
    writeFileSync(join(drop, 'day_5.json'), '{"id": 5, "a": {"x": {"z": 1}}}\n');
    const r = await landing(dir);
    expect(r.exitCode).toBe(1);
    expect(r.message).toContain('day_4.json: field a.x of column a is VARCHAR in this file but BIGINT in "bronze"."ev"; nothing of the file was landed');
    expect(r.message).toContain('day_5.json: field a.x of column a is STRUCT("z" BIGINT) in this file but BIGINT in "bronze"."ev"; nothing of the file was landed');
    expect(await typeOf(db, 'a')).toBe('STRUCT(x BIGINT, y VARCHAR)');
    expect(await queryDuckDb(db, 'select id::int as id, a.x::int as x, a.y as y from bronze.ev order by id')).toEqual([
      { id: 1, x: 1, y: null }, { id: 2, x: 2, y: 'q' }, { id: 3, x: null, y: null },
    ]);
  });
});
