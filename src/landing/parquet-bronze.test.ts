/** `land_as: parquet`: bronze as one Parquet file per landed object under a view — exactly once, typed, switchable. */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb, runDuckDb } from '../test-support/duckdb-query.js';
import { clean, land } from '../api/index.js';
import { parquetBytes } from './test-support/s3-fixtures.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const sources = (landAs: string | undefined, format = 'parquet', pattern?: string): string =>
  `version: 2\nsources:\n  - name: landing\n    schema: bronze\n    tables:\n      - name: events\n        external:\n          location: landing/events/\n          format: ${format}\n${pattern ? `          pattern: "${pattern}"\n` : ''}${landAs ? `          land_as: ${landAs}\n` : ''}`;

function project(landAs: string | undefined, format = 'parquet', pattern?: string): { dir: string; db: string; folder: string; drop: string } {
  const dir = writeProject({ 'models/sources.yml': sources(landAs, format, pattern) });
  dirs.push(dir);
  const drop = join(dir, 'landing', 'events');
  mkdirSync(drop, { recursive: true });
  // The fixture profile's database is target/test.duckdb: its bronze files go beside it, in test_bronze/.
  return { dir, db: join(dir, 'target', 'test.duckdb'), folder: join(dir, 'target', 'test_bronze', 'bronze', 'events'), drop };
}

const files = (folder: string): string[] => (existsSync(folder) ? readdirSync(folder).sort() : []);

/** Rows per source file in bronze, and the ledger's loaded files with their row counts. */
async function bronzeAndLedger(db: string): Promise<{ bronze: Record<string, number>; ledger: Record<string, number> }> {
  const bronze = await queryDuckDb(db, 'select _strata_source_file as f, count(*)::int as n from bronze.events group by 1 order by 1');
  const ledger = await queryDuckDb(db, "select uri as f, row_count::int as n from strata_meta.landed_files where status = 'loaded' order by 1");
  return { bronze: Object.fromEntries(bronze.map((r) => [r.f, r.n])), ledger: Object.fromEntries(ledger.map((r) => [r.f, r.n])) };
}

const kind = async (db: string): Promise<unknown> => (await queryDuckDb(db, "select table_type from information_schema.tables where table_schema = 'bronze' and table_name = 'events'"))[0]?.table_type;


describe('land_as: parquet', () => {
  it('keeps each landed object as one Parquet file under a view, and lands each object once', async () => {
    const { dir, db, folder, drop } = project('parquet');
    writeFileSync(join(drop, 'day_1.parquet'), await parquetBytes('select range as id from range(0, 30)'));
    writeFileSync(join(drop, 'day_2.parquet'), await parquetBytes('select range as id from range(30, 50)'));
    const r = await land({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode, r.results[0]?.message).toBe(0);
    expect(r.results[0]?.message).toBe('landed 2 files (50 rows), skipped 0');
    expect(files(folder)).toHaveLength(2);
    expect(files(folder).every((f) => /^day_\d\.[0-9a-f]{16}\.parquet$/.test(f))).toBe(true);
    expect(await kind(db)).toBe('VIEW');
    const state = await bronzeAndLedger(db);
    expect(state.bronze).toEqual(state.ledger);
    // A day later: one new file, one new Parquet file; the earlier ones are not touched.
    writeFileSync(join(drop, 'day_3.parquet'), await parquetBytes('select range as id from range(50, 55)'));
    const again = await land({ projectDir: dir, profilesDir: dir });
    expect(again.results[0]?.message).toBe('landed 1 file (5 rows), skipped 2');
    expect(files(folder)).toHaveLength(3);
    expect(await queryDuckDb(db, 'select count(*)::int as n, count(distinct id)::int as d from bronze.events')).toEqual([{ n: 55, d: 55 }]);
  });

  it('a crash between writing the file and recording it lands the object again into the same file, not a second one', async () => {
    const { dir, db, folder, drop } = project('parquet');
    writeFileSync(join(drop, 'day_1.parquet'), await parquetBytes('select range as id from range(0, 30)'));
    await land({ projectDir: dir, profilesDir: dir });
    // What a process killed after the rename and before the ledger's commit leaves: the file, no ledger row,
    // and a half-written temporary file of another object.
    await runDuckDb(db, 'delete from strata_meta.landed_files');
    writeFileSync(join(folder, 'day_9.0123456789abcdef.parquet.tmp'), 'half a file');
    const warnings: string[] = [];
    const r = await land({ projectDir: dir, profilesDir: dir, reporter: { emit: (e) => { if (e.type === 'info') warnings.push(e.message); } } });
    expect(r.results[0]?.message).toBe('landed 1 file (30 rows), skipped 0');
    expect(files(folder)).toHaveLength(1);
    expect(await queryDuckDb(db, 'select count(*)::int as n from bronze.events')).toEqual([{ n: 30 }]);
    expect(warnings).toEqual([]);
  });

  it('a landing interrupted before its view was made again: the next landing, even with nothing new, mends the view', async () => {
    const { dir, db, folder, drop } = project('parquet');
    writeFileSync(join(drop, 'day_1.parquet'), await parquetBytes('select range as id from range(0, 30)'));
    await land({ projectDir: dir, profilesDir: dir });
    const first = join(folder, files(folder)[0]!);
    writeFileSync(join(drop, 'day_2.parquet'), await parquetBytes('select range as id from range(30, 40)'));
    await land({ projectDir: dir, profilesDir: dir });
    // What a process killed after day_2's ledger row and before the view was made again leaves: the old view.
    await runDuckDb(db, `create or replace view bronze.events as select * from read_parquet(['${first}'])`);
    expect(await queryDuckDb(db, 'select count(*)::int as n from bronze.events')).toEqual([{ n: 30 }]);
    const r = await land({ projectDir: dir, profilesDir: dir });
    expect(r.results[0]?.message).toBe('nothing new: 2 files already landed');
    const state = await bronzeAndLedger(db);
    expect(state.bronze).toEqual(state.ledger);
    expect(Object.values(state.bronze).sort()).toEqual([10, 30]);
  });

  it('lands again an object whose bronze file is gone; a file no landed object owns is not read', async () => {
    const { dir, db, folder, drop } = project('parquet');
    writeFileSync(join(drop, 'day_1.parquet'), await parquetBytes('select range as id from range(0, 30)'));
    writeFileSync(join(drop, 'day_2.parquet'), await parquetBytes('select range as id from range(30, 40)'));
    await land({ projectDir: dir, profilesDir: dir });
    // The bronze folder deleted: both objects land again, into the same files, each once in the ledger.
    rmSync(folder, { recursive: true });
    const again = await land({ projectDir: dir, profilesDir: dir });
    expect(again.results[0]?.message).toBe('landed 2 files (40 rows), skipped 0');
    let state = await bronzeAndLedger(db);
    expect(state.bronze).toEqual(state.ledger);
    expect(Object.values(state.bronze).sort()).toEqual([10, 30]);
    // The database deleted but its bronze folder kept, and the files now arrive from another location: the old
    // location's files are not read (their rows would come twice).
    rmSync(db);
    mkdirSync(join(dir, 'moved'));
    renameSync(drop, join(dir, 'moved', 'events'));
    writeFileSync(join(dir, 'models', 'sources.yml'), sources('parquet').replace('landing/events/', 'moved/events/'));
    const moved = await land({ projectDir: dir, profilesDir: dir });
    expect(moved.results[0]?.message).toBe('landed 2 files (40 rows), skipped 0');
    expect(files(folder)).toHaveLength(4);
    state = await bronzeAndLedger(db);
    expect(state.bronze).toEqual(state.ledger);
    expect(Object.keys(state.bronze).every((uri) => uri.startsWith('file:moved/events/'))).toBe(true);
  });

  it('a landed object whose file is missing fails the landing and every read of bronze, until it lands again', async () => {
    const { dir, db, folder, drop } = project('parquet', 'parquet', "day_{{ var('ds', '*') }}.parquet");
    for (const day of [1, 2]) writeFileSync(join(drop, `day_${day}.parquet`), await parquetBytes(`select range as id from range(${day * 10}, ${day * 10 + 5})`));
    await land({ projectDir: dir, profilesDir: dir });
    rmSync(join(folder, files(folder).find((f) => f.startsWith('day_1.'))!));
    // A daily run does not list day_1: the landing fails, naming the folder, and bronze cannot be read.
    writeFileSync(join(drop, 'day_3.parquet'), await parquetBytes('select range as id from range(30, 35)'));
    const daily = await land({ projectDir: dir, profilesDir: dir, vars: { ds: 3 } });
    expect(daily.exitCode).toBe(1);
    expect(daily.results[0]?.message).toMatch(/landed 1 file \(5 rows\), skipped 0:\n {2}the bronze files of 1 landed object\(s\) are missing from .*test_bronze\/bronze\/events \(file:.*day_1\.parquet\)/);
    await expect(queryDuckDb(db, 'select count(*) from bronze.events')).rejects.toThrow(/bronze files of landed objects are missing from .*test_bronze\/bronze\/events/);
    // A run that lists every file lands day_1 again (the version the ledger has), and bronze is whole.
    const full = await land({ projectDir: dir, profilesDir: dir });
    expect(full.exitCode).toBe(0);
    expect(full.results[0]?.message).toBe('landed 1 file (5 rows), skipped 2');
    const state = await bronzeAndLedger(db);
    expect(state.bronze).toEqual(state.ledger);
    expect(Object.values(state.bronze)).toEqual([5, 5, 5]);
  });

  it('two sources landing into one relation both stay in it', async () => {
    const { dir, db, drop } = project('parquet');
    mkdirSync(join(dir, 'landing', 'eu'));
    writeFileSync(join(dir, 'models', 'sources.yml'), `${sources('parquet')}      - name: events_eu\n        identifier: events\n        external:\n          location: landing/eu/\n          land_as: parquet\n`);
    writeFileSync(join(drop, 'day_1.parquet'), await parquetBytes('select range as id from range(0, 3)'));
    writeFileSync(join(dir, 'landing', 'eu', 'day_1.parquet'), await parquetBytes('select range as id from range(100, 104)'));
    const r = await land({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode, r.results.map((x) => x.message).join('\n')).toBe(0);
    const state = await bronzeAndLedger(db);
    expect(state.bronze).toEqual(state.ledger);
    expect(Object.values(state.bronze).sort()).toEqual([3, 4]);
  });

  it('keeps a new field inside a nested JSON struct', async () => {
    const { dir, db, drop } = project('parquet', 'ndjson');
    writeFileSync(join(drop, 'day_1.json'), '{"id": 1, "s": {"a": 1}}\n');
    await land({ projectDir: dir, profilesDir: dir });
    writeFileSync(join(drop, 'day_2.json'), '{"id": 2, "s": {"a": 2, "b": "x"}}\n');
    expect((await land({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect(await queryDuckDb(db, 'select id::int as id, s.a::int as a, s.b as b from bronze.events order by id')).toEqual([{ id: 1, a: 1, b: null }, { id: 2, a: 2, b: 'x' }]);
  });

  it('strata clean keeps the bronze files of a database it keeps; a bronze folder inside the location is refused', async () => {
    const { dir, db, folder, drop } = project('parquet');
    writeFileSync(join(drop, 'day_1.parquet'), await parquetBytes('select range as id from range(0, 3)'));
    await land({ projectDir: dir, profilesDir: dir });
    const cleaned = await clean({ projectDir: dir, profilesDir: dir });
    expect(cleaned.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['clean-keeps-bronze', 'clean-keeps-database']));
    expect(files(folder)).toHaveLength(1);
    expect(await queryDuckDb(db, 'select count(*)::int as n from bronze.events')).toEqual([{ n: 3 }]);
    writeFileSync(join(dir, 'profiles.yml'), readFileSync(join(dir, 'profiles.yml'), 'utf8').replace('path: target/test.duckdb', 'path: target/test.duckdb\n      bronze_path: landing/events/bronze'));
    const r = await land({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics.map((d) => d.message).join('\n')).toMatch(/the bronze folder .*landing\/events\/bronze \(land_as: parquet\) is inside its location/);
  });

  it('a changed object relanded replaces its file; without --reland-changed it is kept and reported', async () => {
    const { dir, db, folder, drop } = project('parquet');
    writeFileSync(join(drop, 'day_1.parquet'), await parquetBytes('select range as id from range(0, 30)'));
    await land({ projectDir: dir, profilesDir: dir });
    writeFileSync(join(drop, 'day_1.parquet'), await parquetBytes('select range as id from range(0, 12)'));
    expect((await land({ projectDir: dir, profilesDir: dir })).results[0]?.message).toBe('landed 0 files (0 rows), skipped 1 (1 changed since landed, not reloaded)');
    expect(await queryDuckDb(db, 'select count(*)::int as n from bronze.events')).toEqual([{ n: 30 }]);
    const r = await land({ projectDir: dir, profilesDir: dir, relandChanged: true });
    expect(r.results[0]?.message).toBe('landed 1 file (12 rows), skipped 0');
    // The new version is a file of its own, in bronze from the commit of its ledger row; the old one stays, unread.
    expect(files(folder)).toHaveLength(2);
    const state = await bronzeAndLedger(db);
    expect(state.bronze).toEqual(state.ledger);
    expect(Object.values(state.bronze)).toEqual([12]);
  });

  it('a new column appears in the view (null for earlier files); a type that does not convert fails that file only', async () => {
    const { dir, db, folder, drop } = project('parquet');
    writeFileSync(join(drop, 'day_1.parquet'), await parquetBytes('select range::int as id from range(0, 3)'));
    await land({ projectDir: dir, profilesDir: dir });
    // A wider integer converts, and keeps the view's type; the new column comes with it.
    writeFileSync(join(drop, 'day_2.parquet'), await parquetBytes("select range::bigint as id, 'x' as note from range(3, 5)"));
    writeFileSync(join(drop, 'day_3.parquet'), await parquetBytes("select 'not a number' as id"));
    const r = await land({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode).toBe(1);
    expect(r.results[0]?.message).toMatch(/day_3\.parquet: column id is VARCHAR in this file but INTEGER in "bronze"\."events"; 1 values cannot be converted/);
    expect(files(folder)).toHaveLength(2);
    expect(await queryDuckDb(db, 'select id, note from bronze.events order by id')).toEqual([
      { id: 0, note: null }, { id: 1, note: null }, { id: 2, note: null }, { id: 3, note: 'x' }, { id: 4, note: 'x' },
    ]);
    expect(await queryDuckDb(db, "select data_type from information_schema.columns where table_name = 'events' and column_name = 'id'")).toEqual([{ data_type: 'INTEGER' }]);
  });

  it('reads a later CSV file with the types the view has, keeping its text as it is', async () => {
    const { dir, db, drop } = project('parquet', 'csv');
    writeFileSync(join(drop, 'a.csv'), 'id,amount\n1,1.50\n');
    await land({ projectDir: dir, profilesDir: dir });
    writeFileSync(join(drop, 'b.csv'), 'id,amount\n2,2\n');
    expect((await land({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect(await queryDuckDb(db, 'select id, amount from bronze.events order by id')).toEqual([{ id: '1', amount: '1.50' }, { id: '2', amount: '2' }]);
  });

  it('moves a table landed before land_as: parquet into files, and back into a table, keeping every row', async () => {
    const { dir, db, folder, drop } = project(undefined);
    writeFileSync(join(drop, 'day_1.parquet'), await parquetBytes('select range as id from range(0, 30)'));
    writeFileSync(join(drop, 'day_2.parquet'), await parquetBytes('select range as id from range(30, 40)'));
    await land({ projectDir: dir, profilesDir: dir });
    expect(await kind(db)).toBe('BASE TABLE');
    const before = await bronzeAndLedger(db);
    writeFileSync(join(dir, 'models', 'sources.yml'), sources('parquet'));
    const events: string[] = [];
    const r = await land({ projectDir: dir, profilesDir: dir, reporter: { emit: (e) => { if (e.type === 'info') events.push(e.message); } } });
    expect(r.exitCode).toBe(0);
    expect(events.join('\n')).toContain('landing.events: moved 40 bronze rows into 2 Parquet file(s)');
    expect(await kind(db)).toBe('VIEW');
    expect(files(folder)).toHaveLength(2);
    expect(await bronzeAndLedger(db)).toEqual(before);
    // And back: the view's rows become a table again; the files stay.
    writeFileSync(join(dir, 'models', 'sources.yml'), sources('table'));
    const back = await land({ projectDir: dir, profilesDir: dir, reporter: { emit: (e) => { if (e.type === 'info') events.push(e.message); } } });
    expect(back.exitCode).toBe(0);
    expect(events.join('\n')).toContain('landing.events: moved 40 bronze rows from its Parquet files into a table');
    expect(await kind(db)).toBe('BASE TABLE');
    expect(files(folder)).toHaveLength(2);
    expect(await bronzeAndLedger(db)).toEqual(before);
  });

  it('an empty bronze table stays until the commit of the first file landed after land_as: parquet makes it the view', async () => {
    const { dir, db, drop } = project(undefined);
    writeFileSync(join(drop, 'day_0.parquet'), await parquetBytes('select range as id from range(0)'));
    await land({ projectDir: dir, profilesDir: dir });
    expect(await kind(db)).toBe('BASE TABLE');
    writeFileSync(join(dir, 'models', 'sources.yml'), sources('parquet'));
    // Nothing new: the empty table stays (models reading bronze still find it).
    expect((await land({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    expect(await kind(db)).toBe('BASE TABLE');
    writeFileSync(join(drop, 'day_1.parquet'), await parquetBytes('select range as id from range(0, 7)'));
    const r = await land({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode, r.results[0]?.message).toBe(0);
    expect(await kind(db)).toBe('VIEW');
    expect(await queryDuckDb(db, 'select count(*)::int as n from bronze.events')).toEqual([{ n: 7 }]);
  });

  it('refuses a land_as it does not know, at its line, before opening the warehouse', async () => {
    const { dir, db } = project('files');
    const r = await land({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics.map((d) => `${d.file}:${d.line} ${d.message}`).join('\n')).toContain("models/sources.yml:10 source landing.events: its land_as 'files' is not one of parquet, table");
    expect(existsSync(db)).toBe(false);
  });

  it('names the line of project.yml where a land_as it does not know was set', async () => {
    const { dir } = project(undefined);
    writeFileSync(join(dir, 'project.yml'), 'name: p\nprofile: p\nsources:\n  p:\n    landing:\n      +land_as: files\n');
    const r = await land({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics.map((d) => `${d.file}:${d.line} ${d.message}`).join('\n')).toContain("project.yml:6 source landing.events: its land_as 'files' is not one of parquet, table");
  });
});
