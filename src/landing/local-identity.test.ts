/**
 * A local object of a folder of the project is named relative to the project (`file:landing/events/day_1.parquet`):
 * a project that moved, two copies of one project landing into one warehouse, and ledgers of earlier versions
 * (absolute `file://` URIs) each land every object exactly once. Real DuckDB files, in both bronze modes.
 */
import { describe, it, expect, inject, afterAll } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DUCKDB_PROFILE, writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb, runDuckDb } from '../test-support/duckdb-query.js';
import { land } from '../api/index.js';
import { bronzeFileName } from './parquet-bronze.js';
import { newBucket, parquetBytes, put, s3Client } from './test-support/s3-fixtures.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const sources = (landAs: string, location = 'landing/events/'): string =>
  `version: 2\nsources:\n  - name: landing\n    schema: bronze\n    tables:\n      - name: events\n        external:\n          location: ${location}\n          land_as: ${landAs}\n`;

/** A project landing `landing/events/` into `db` (default: its own target/test.duckdb), with day_1 (3 rows) dropped. */
async function project(landAs: string, db?: string): Promise<{ dir: string; db: string }> {
  const dir = writeProject({ 'models/sources.yml': sources(landAs), ...(db ? { 'profiles.yml': DUCKDB_PROFILE('p').replace('path: target/test.duckdb', `path: ${db}`) } : {}) });
  dirs.push(dir);
  mkdirSync(join(dir, 'landing', 'events'), { recursive: true });
  writeFileSync(join(dir, 'landing', 'events', 'day_1.parquet'), await parquetBytes('select range as id from range(0, 3)'));
  // Whole seconds: a copy keeps them exactly (a copy's sub-millisecond time may round to another ETag).
  utimesSync(join(dir, 'landing', 'events', 'day_1.parquet'), new Date(2026, 0, 1), new Date(2026, 0, 1));
  return { dir, db: db ?? join(dir, 'target', 'test.duckdb') };
}

/** Bronze rows per `_strata_source_file`, and the ledger's loaded URIs with their row counts. */
async function bronzeAndLedger(db: string): Promise<{ bronze: Record<string, number>; ledger: Record<string, number> }> {
  const bronze = await queryDuckDb(db, 'select _strata_source_file as f, count(*)::int as n from bronze.events group by 1 order by 1');
  const ledger = await queryDuckDb(db, "select uri as f, row_count::int as n from strata_meta.landed_files where status = 'loaded' order by 1");
  return { bronze: Object.fromEntries(bronze.map((r) => [r.f, r.n])), ledger: Object.fromEntries(ledger.map((r) => [r.f, r.n])) };
}


const bronzeFolder = (db: string): string => join(db.replace(/\.duckdb$/, '_bronze'), 'bronze', 'events');
const files = (folder: string): string[] => (existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith('.parquet')).sort() : []);
const DAY_1 = 'file:landing/events/day_1.parquet';
const DAY_2 = 'file:landing/events/day_2.parquet';

async function dropDay2(dir: string): Promise<void> {
  writeFileSync(join(dir, 'landing', 'events', 'day_2.parquet'), await parquetBytes('select range as id from range(3, 5)'));
  utimesSync(join(dir, 'landing', 'events', 'day_2.parquet'), new Date(2026, 0, 2), new Date(2026, 0, 2));
}

/**
 * The ledger and bronze as the previous version wrote them for a project in `root`: absolute `file://` URIs, and
 * with `land_as: parquet` each bronze file named by the absolute URI with it as `_strata_source_file` inside.
 */
async function asPreviousVersion(db: string, root: string, landAs: string, oldFolder = pathToFileURL(root).href): Promise<void> {
  const abs = (uri: string): string => `${oldFolder.replace(/\/$/, '')}/${uri.slice('file:'.length)}`;
  const rows = await queryDuckDb(db, 'select uri, etag, status, bronze_file from strata_meta.landed_files');
  const q = (v: string): string => `'${v.replace(/'/g, "''")}'`;
  const statements: string[] = [];
  for (const r of rows) {
    const uri = String(r.uri);
    statements.push(`update strata_meta.landed_files set uri = ${q(abs(uri))} where uri = ${q(uri)}`);
    if (landAs === 'table') statements.push(`update bronze.events set _strata_source_file = ${q(abs(uri))} where _strata_source_file = ${q(uri)}`);
    else if (r.status === 'loaded') {
      const base = db.replace(/\.duckdb$/, '_bronze');
      const old = `bronze/events/${bronzeFileName(abs(uri), String(r.etag))}`;
      statements.push(`copy (select * replace (${q(abs(uri))} as _strata_source_file) from read_parquet(${q(join(base, String(r.bronze_file)))})) to ${q(join(base, old))} (format parquet)`);
      statements.push(`update strata_meta.landed_files set bronze_file = ${q(old)} where uri = ${q(abs(uri))}`);
    }
  }
  const before = files(bronzeFolder(db));
  await runDuckDb(db, statements);
  for (const f of before) rmSync(join(bronzeFolder(db), f));
  // What the earlier version wrote really is absolute, and the bronze files are its.
  expect(Object.keys((await bronzeAndLedger(db)).bronze).every((f) => f.startsWith('file:///'))).toBe(true);
}

/**
 * The previous version landing the objects of a copy of the project in `copy` too (the defect): every loaded object
 * of `root` once more, under the copy's absolute URI, a second later — its rows twice in bronze.
 */
async function landedAgainFromCopy(db: string, root: string, copy: string, landAs: string, otherRows = false): Promise<void> {
  const id = otherRows ? 'id + 100' : 'id';
  const [from, to] = [root, copy].map((r) => pathToFileURL(r).href);
  const rows = await queryDuckDb(db, "select uri, etag, bronze_file from strata_meta.landed_files where status = 'loaded'");
  const q = (v: string): string => `'${v.replace(/'/g, "''")}'`;
  const statements: string[] = [];
  const base = db.replace(/\.duckdb$/, '_bronze');
  for (const r of rows) {
    const uri = String(r.uri);
    const other = uri.replace(from!, to!);
    const file = landAs === 'table' ? null : `bronze/events/${bronzeFileName(other, String(r.etag))}`;
    statements.push(`insert into strata_meta.landed_files select * replace (${q(other)} as uri, loaded_at + interval 1 second as loaded_at, ${file ? q(file) : 'null'} as bronze_file) from strata_meta.landed_files where uri = ${q(uri)} and status = 'loaded'`);
    if (file) statements.push(`copy (select * replace (${q(other)} as _strata_source_file, ${id} as id) from read_parquet(${q(join(base, String(r.bronze_file)))})) to ${q(join(base, file))} (format parquet)`);
    else statements.push(`insert into bronze.events select * replace (${q(other)} as _strata_source_file, ${id} as id) from bronze.events where _strata_source_file = ${q(uri)}`);
  }
  await runDuckDb(db, statements);
  expect(Number((await queryDuckDb(db, 'select count(*)::int as n from bronze.events'))[0]!.n)).toBe(10);
}

describe('a project folder that moved', () => {
  for (const landAs of ['table', 'parquet']) {
    it(`lands nothing again, and a new file once (land_as: ${landAs})`, async () => {
      const { dir } = await project(landAs);
      expect((await land({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
      const moved = `${dir}-moved`;
      renameSync(dir, moved);
      dirs.push(moved);
      const db = join(moved, 'target', 'test.duckdb');
      const r = await land({ projectDir: moved, profilesDir: moved });
      expect(r.exitCode, r.results[0]?.message).toBe(0);
      expect(r.results[0]?.message).toBe('nothing new: 1 file already landed');
      expect(await bronzeAndLedger(db)).toEqual({ bronze: { [DAY_1]: 3 }, ledger: { [DAY_1]: 3 } });
      writeFileSync(join(moved, 'landing', 'events', 'day_2.parquet'), await parquetBytes('select range as id from range(3, 5)'));
      expect((await land({ projectDir: moved, profilesDir: moved })).results[0]?.message).toBe('landed 1 file (2 rows), skipped 1');
      expect((await land({ projectDir: moved, profilesDir: moved })).results[0]?.message).toBe('nothing new: 2 files already landed');
      expect(await bronzeAndLedger(db)).toEqual({ bronze: { [DAY_1]: 3, [DAY_2]: 2 }, ledger: { [DAY_1]: 3, [DAY_2]: 2 } });
    });
  }
});

describe('a project folder that moved, then land_as switched', () => {
  it('from parquet to table: the rows of the files become the table, once', async () => {
    const { dir } = await project('parquet');
    await dropDay2(dir);
    expect((await land({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    const moved = `${dir}-moved`;
    renameSync(dir, moved);
    dirs.push(moved);
    writeFileSync(join(moved, 'models', 'sources.yml'), sources('table'));
    const r = await land({ projectDir: moved, profilesDir: moved });
    expect(r.exitCode, r.results[0]?.message).toBe(0);
    expect(await bronzeAndLedger(join(moved, 'target', 'test.duckdb'))).toEqual({ bronze: { [DAY_1]: 3, [DAY_2]: 2 }, ledger: { [DAY_1]: 3, [DAY_2]: 2 } });
  });
});

describe('two copies of a project landing into one warehouse', () => {
  for (const landAs of ['table', 'parquet']) {
    it(`the second copy lands nothing twice; a new file lands once (land_as: ${landAs})`, async () => {
      const shared = mkdtempSync(join(tmpdir(), 'strata-shared-'));
      dirs.push(shared);
      const db = join(shared, 'warehouse.duckdb');
      const { dir } = await project(landAs, db);
      await dropDay2(dir);
      expect((await land({ projectDir: dir, profilesDir: dir })).results[0]?.message).toBe('landed 2 files (5 rows), skipped 0');
      // The other copy: day_1 copied as it is (same size and time), day_2 with another time (a clone's checkout).
      const other = `${dir}-copy`;
      cpSync(dir, other, { recursive: true, preserveTimestamps: true });
      dirs.push(other);
      utimesSync(join(other, 'landing', 'events', 'day_2.parquet'), new Date(2020, 0, 1), new Date(2020, 0, 1));
      const r = await land({ projectDir: other, profilesDir: other });
      expect(r.exitCode, r.results[0]?.message).toBe(0);
      expect(r.results[0]?.message).toBe('landed 0 files (0 rows), skipped 2 (1 changed since landed, not reloaded)');
      expect(await bronzeAndLedger(db)).toEqual({ bronze: { [DAY_1]: 3, [DAY_2]: 2 }, ledger: { [DAY_1]: 3, [DAY_2]: 2 } });
      // A file dropped in the second copy lands once; the first copy then has nothing new of its own to land twice.
      writeFileSync(join(other, 'landing', 'events', 'day_3.parquet'), await parquetBytes('select 9 as id'));
      expect((await land({ projectDir: other, profilesDir: other })).results[0]?.message).toContain('landed 1 file (1 rows)');
      expect((await land({ projectDir: dir, profilesDir: dir })).results[0]?.message).toBe('nothing new: 2 files already landed');
      expect(Number((await queryDuckDb(db, 'select count(*)::int as n from bronze.events'))[0]!.n)).toBe(6);
    });
  }
});

describe('a ledger written by the previous version (absolute file:// URIs)', () => {
  const cases: [string, string][] = [
    ['table', 'the same folder'],
    ['parquet', 'the same folder'],
    ['table', 'a folder that moved'],
    ['parquet', 'a folder that moved'],
    ['table', 'another copy that still exists'],
    ['parquet', 'another copy that still exists'],
  ];
  it.each(cases)('land_as: %s, landed from %s: adopted, nothing lost or landed twice', async (landAs, where) => {
    // Two copies share a database named by an absolute path; otherwise the database moves with the project.
    const shared = mkdtempSync(join(tmpdir(), 'strata-shared-'));
    dirs.push(shared);
    const copy = where === 'another copy that still exists';
    const { dir, db: first } = await project(landAs, copy ? join(shared, 'warehouse.duckdb') : undefined);
    await dropDay2(dir);
    expect((await land({ projectDir: dir, profilesDir: dir })).results[0]?.message).toBe('landed 2 files (5 rows), skipped 0');
    await asPreviousVersion(first, dir, landAs);
    let now = dir;
    if (where !== 'the same folder') {
      now = `${dir}-${where === 'a folder that moved' ? 'moved' : 'copy'}`;
      if (where === 'a folder that moved') renameSync(dir, now);
      else cpSync(dir, now, { recursive: true, preserveTimestamps: true });
      dirs.push(now);
    }
    const db = copy ? first : join(now, 'target', 'test.duckdb');
    const events: string[] = [];
    const r = await land({ projectDir: now, profilesDir: now, reporter: { emit: (e) => { if (e.type === 'info') events.push(e.message); } } });
    expect(r.exitCode, r.results[0]?.message).toBe(0);
    // The rewrite of the user's ledger (and bronze rows or files) is said, once.
    expect(events.filter((m) => m.includes('landed by an earlier version are now named relative to the project'))).toEqual(['landing.events: 2 object(s) landed by an earlier version are now named relative to the project (file:landing/events/…), so a moved or copied project lands them once']);
    expect(r.results[0]?.message).toBe('nothing new: 2 files already landed');
    expect(await bronzeAndLedger(db)).toEqual({ bronze: { [DAY_1]: 3, [DAY_2]: 2 }, ledger: { [DAY_1]: 3, [DAY_2]: 2 } });
    expect(await queryDuckDb(db, "select count(*)::int as n from strata_meta.landed_files where uri like 'file:///%'")).toEqual([{ n: 0 }]);
    if (landAs === 'parquet') {
      // The files are the new names' (the old ones are gone), each listed by the ledger.
      const listed = (await queryDuckDb(db, "select bronze_file as f from strata_meta.landed_files where status = 'loaded' order by 1")).map((x) => String(x.f).split('/').pop());
      expect(files(bronzeFolder(db))).toEqual(listed.sort());
      expect(files(bronzeFolder(db))).toHaveLength(2);
    }
    writeFileSync(join(now, 'landing', 'events', 'day_3.parquet'), await parquetBytes('select 9 as id'));
    expect((await land({ projectDir: now, profilesDir: now })).results[0]?.message).toBe('landed 1 file (1 rows), skipped 2');
    expect(Number((await queryDuckDb(db, 'select count(*)::int as n from bronze.events'))[0]!.n)).toBe(6);
    // A changed object adopted from the old ledger is relanded in place: its old rows go.
    writeFileSync(join(now, 'landing', 'events', 'day_1.parquet'), await parquetBytes('select range as id from range(100, 110)'));
    expect((await land({ projectDir: now, profilesDir: now, relandChanged: true })).results[0]?.message).toBe('landed 1 file (10 rows), skipped 2');
    const after = await bronzeAndLedger(db);
    expect(after.bronze).toEqual(after.ledger);
    expect(after.bronze).toEqual({ [DAY_1]: 10, [DAY_2]: 2, 'file:landing/events/day_3.parquet': 1 });
  });

  it('a ledger from before its uri column (bronze rows with absolute URIs): adopted by key, a reland replaces, nothing twice', async () => {
    const { dir } = await project('table');
    await dropDay2(dir);
    expect((await land({ projectDir: dir, profilesDir: dir })).results[0]?.message).toBe('landed 2 files (5 rows), skipped 0');
    await asPreviousVersion(join(dir, 'target', 'test.duckdb'), dir, 'table');
    await runDuckDb(join(dir, 'target', 'test.duckdb'), ['update strata_meta.landed_files set uri = null']);
    const moved = `${dir}-moved`;
    renameSync(dir, moved);
    dirs.push(moved);
    const db = join(moved, 'target', 'test.duckdb');
    expect((await land({ projectDir: moved, profilesDir: moved })).results[0]?.message).toBe('nothing new: 2 files already landed');
    expect(await bronzeAndLedger(db)).toEqual({ bronze: { [DAY_1]: 3, [DAY_2]: 2 }, ledger: { [DAY_1]: 3, [DAY_2]: 2 } });
    writeFileSync(join(moved, 'landing', 'events', 'day_1.parquet'), await parquetBytes('select range as id from range(100, 110)'));
    expect((await land({ projectDir: moved, profilesDir: moved, relandChanged: true })).results[0]?.message).toBe('landed 1 file (10 rows), skipped 1');
    expect(await bronzeAndLedger(db)).toEqual({ bronze: { [DAY_1]: 10, [DAY_2]: 2 }, ledger: { [DAY_1]: 10, [DAY_2]: 2 } });
  });

  const twice: [string, string][] = [['table', 'the same'], ['parquet', 'the same'], ['table', 'other'], ['parquet', 'other']];
  it.each(twice)('objects it landed twice from two copies (land_as: %s, %s rows): once again if the same, else both kept', async (landAs, rows) => {
    const shared = mkdtempSync(join(tmpdir(), 'strata-shared-'));
    dirs.push(shared);
    const { dir, db } = await project(landAs, join(shared, 'warehouse.duckdb'));
    await dropDay2(dir);
    expect((await land({ projectDir: dir, profilesDir: dir })).results[0]?.message).toBe('landed 2 files (5 rows), skipped 0');
    await asPreviousVersion(db, dir, landAs);
    const copy = `${dir}-copy`;
    cpSync(dir, copy, { recursive: true, preserveTimestamps: true });
    dirs.push(copy);
    await landedAgainFromCopy(db, dir, copy, landAs, rows === 'other');
    for (const at of [dir, copy]) {
      const events: string[] = [];
      const statements: string[] = [];
      // --warn-error: the warning about landings kept apart fails the landing that makes it, once.
      const r = await land({ projectDir: at, profilesDir: at, warnError: true, reporter: { emit: (e) => { if (e.type === 'info') events.push(e.message); if (e.type === 'sql') statements.push(e.sql); } } });
      if (rows === 'the same') {
        expect(r.exitCode, r.results[0]?.message).toBe(0);
        expect(r.results[0]?.message).toBe('nothing new: 2 files already landed');
        if (at === dir) expect(events.join('\n')).toContain('landing.events: 2 object(s) had been landed twice by an earlier version');
        expect(await bronzeAndLedger(db)).toEqual({ bronze: { [DAY_1]: 3, [DAY_2]: 2 }, ledger: { [DAY_1]: 3, [DAY_2]: 2 } });
        // Files: those the ledger lists, named by the relative URIs (the old and the retired landing's are gone).
        if (landAs === 'parquet') {
          const listed = (await queryDuckDb(db, "select bronze_file as f from strata_meta.landed_files where status = 'loaded' order by 1")).map((x) => String(x.f).split('/').pop());
          expect(files(bronzeFolder(db))).toEqual(listed.sort());
        }
      } else {
        // The landing from the folder landing now (dir's own, the earlier) is the object now; the copy's other
        // rows stay, under their URI.
        // Said once, as a warning (WARN; an error with --warn-error); the ledger keeps the verdict, so the next
        // landing neither adopts nor compares again.
        if (at === dir) {
          expect(r.exitCode).toBe(1);
          expect(r.results[0]?.status).toBe('warn');
          expect(r.results[0]?.message).toContain('nothing new: 2 files already landed:\n  warning: 2 object(s) of landing.events had been landed by an earlier version from another folder of the project too, with other rows');
        } else {
          expect(r.exitCode, r.results[0]?.message).toBe(0);
          expect(r.results[0]?.status).toBe('success');
          expect(r.results[0]?.message).toBe('nothing new: 2 files already landed');
          expect(statements.filter((x) => /except distinct|substr\(uri, 1, 5\)/.test(x))).toEqual([]);
          expect(statements.some((x) => x.includes('strata_meta') && x.includes('landed_files'))).toBe(true);
        }
        const fromCopy = (name: string): string => `${pathToFileURL(copy).href}/landing/events/${name}`;
        const both = { [DAY_1]: 3, [DAY_2]: 2, [fromCopy('day_1.parquet')]: 3, [fromCopy('day_2.parquet')]: 2 };
        expect(await bronzeAndLedger(db)).toEqual({ bronze: both, ledger: both });
        expect(await queryDuckDb(db, "select uri from strata_meta.landed_files where status = 'loaded' and error like 'kept apart: %' order by 1")).toEqual([{ uri: fromCopy('day_1.parquet') }, { uri: fromCopy('day_2.parquet') }]);
        expect(await queryDuckDb(db, `select min(id)::int as lo from bronze.events where _strata_source_file = '${DAY_1}'`)).toEqual([{ lo: 0 }]);
      }
    }
  });

  // JavaScript counts such a character as two (UTF-16), SQL as one: nothing may depend on either count.
  const wide: [string, string][] = [['table', 'a uri column'], ['parquet', 'a uri column'], ['table', 'no uri column']];
  it.each(wide)('characters outside the BMP in the old folder and in a key (land_as: %s, a ledger with %s): adopted, once', async (landAs, ledger) => {
    const { dir, db } = await project(landAs);
    const wideKey = 'd\u{1F600}y_2.parquet';
    writeFileSync(join(dir, 'landing', 'events', wideKey), await parquetBytes('select range as id from range(3, 5)'));
    expect((await land({ projectDir: dir, profilesDir: dir })).results[0]?.message).toBe('landed 2 files (5 rows), skipped 0');
    await asPreviousVersion(db, dir, landAs, 'file:///home/me/\u{1F600}proj/');
    if (ledger === 'no uri column') await runDuckDb(db, ['update strata_meta.landed_files set uri = null']);
    const r = await land({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode, r.results[0]?.message).toBe(0);
    expect(r.results[0]?.message).toBe('nothing new: 2 files already landed');
    const now = { [DAY_1]: 3, [`file:landing/events/${wideKey}`]: 2 };
    expect(await bronzeAndLedger(db)).toEqual({ bronze: now, ledger: now });
  });

  it('land_as: parquet, a bronze file of the old ledger gone: its object lands again, once', async () => {
    const { dir, db } = await project('parquet');
    await dropDay2(dir);
    expect((await land({ projectDir: dir, profilesDir: dir })).results[0]?.message).toBe('landed 2 files (5 rows), skipped 0');
    await asPreviousVersion(db, dir, 'parquet');
    const gone = (await queryDuckDb(db, "select bronze_file as f from strata_meta.landed_files where uri like '%day_2.parquet'"))[0]!.f;
    rmSync(join(bronzeFolder(db), '..', '..', String(gone)));
    const r = await land({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode, r.results[0]?.message).toBe(0);
    expect(r.results[0]?.message).toBe('landed 1 file (2 rows), skipped 1');
    expect(await bronzeAndLedger(db)).toEqual({ bronze: { [DAY_1]: 3, [DAY_2]: 2 }, ledger: { [DAY_1]: 3, [DAY_2]: 2 } });
    expect(files(bronzeFolder(db))).toHaveLength(2);
  });

  it('land_as switched from table to parquet after the old ledger: the adopted rows become files, once', async () => {
    const { dir, db } = await project('table');
    await dropDay2(dir);
    expect((await land({ projectDir: dir, profilesDir: dir })).results[0]?.message).toBe('landed 2 files (5 rows), skipped 0');
    await asPreviousVersion(db, dir, 'table');
    writeFileSync(join(dir, 'models', 'sources.yml'), sources('parquet'));
    const r = await land({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode, r.results[0]?.message).toBe(0);
    expect(r.results[0]?.message).toBe('nothing new: 2 files already landed');
    expect(await bronzeAndLedger(db)).toEqual({ bronze: { [DAY_1]: 3, [DAY_2]: 2 }, ledger: { [DAY_1]: 3, [DAY_2]: 2 } });
    expect(files(bronzeFolder(db))).toHaveLength(2);
  });
});

describe('identities that stay absolute', () => {
  it('a source that landed an absolute folder outside any project, then points into the project: the outside rows stay theirs, the project file lands', async () => {
    const { dir, db } = await project('table');
    const outside = mkdtempSync(join(tmpdir(), 'strata-outside-'));
    dirs.push(outside);
    mkdirSync(join(outside, 'landing', 'events'), { recursive: true });
    writeFileSync(join(outside, 'landing', 'events', 'day_1.parquet'), await parquetBytes('select 100 as id'));
    writeFileSync(join(dir, 'models', 'sources.yml'), sources('table', join(outside, 'landing', 'events') + '/'));
    expect((await land({ projectDir: dir, profilesDir: dir })).results[0]?.message).toBe('landed 1 file (1 rows), skipped 0');
    writeFileSync(join(dir, 'models', 'sources.yml'), sources('table'));
    const statements: string[] = [];
    const r = await land({ projectDir: dir, profilesDir: dir, reporter: { emit: (e) => { if (e.type === 'sql') statements.push(e.sql); } } });
    expect(r.exitCode, r.results[0]?.message).toBe(0);
    expect(r.results[0]?.message).toBe('landed 1 file (3 rows), skipped 0');
    // Not this project's rows: no landing reads the ledger again for an adoption.
    expect(statements.filter((x) => x.includes('substr(uri, 1, 5)'))).toEqual([]);
    expect(statements.some((x) => x.includes('strata_meta') && x.includes('landed_files'))).toBe(true);
    const theirs = `file://${join(outside, 'landing', 'events', 'day_1.parquet')}`;
    expect(await bronzeAndLedger(db)).toEqual({ bronze: { [DAY_1]: 3, [theirs]: 1 }, ledger: { [DAY_1]: 3, [theirs]: 1 } });
  });


  it('S3 objects, a file:/// location and a folder outside the project keep their absolute URIs', async () => {
    const client = s3Client(inject('s3Endpoint'));
    const bucket = await newBucket(client);
    await put(client, bucket, 'events/day_1.parquet', await parquetBytes('select 1 as id'));
    const outside = mkdtempSync(join(tmpdir(), 'strata-outside-'));
    dirs.push(outside);
    writeFileSync(join(outside, 'day_1.parquet'), await parquetBytes('select 2 as id'));
    const tables = [
      ['from_s3', `s3://${bucket}/events/`],
      ['from_url', pathToFileURL(outside).href],
      ['from_parent', `../${outside.split('/').pop()}/`],
    ];
    const yml = `version: 2\nsources:\n  - name: landing\n    schema: bronze\n    tables:\n${tables.map(([name, location]) => `      - name: ${name}\n        external:\n          location: ${location}\n`).join('')}`;
    const s3 = `      s3:\n        endpoint: ${inject('s3Endpoint')}\n        region: us-east-1\n        force_path_style: true\n        access_key_id: S3RVER\n        secret_access_key: S3RVER\n`;
    const dir = mkdtempSync(join(tmpdir(), 'strata-fixture-'));
    dirs.push(dir);
    for (const [path, text] of Object.entries({ 'project.yml': 'name: p\nprofile: p\n', 'profiles.yml': DUCKDB_PROFILE('p', s3), 'models/sources.yml': yml })) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    // The parent folder reached by ../ is the temp folder holding both.
    expect(join(dir, '..')).toBe(join(outside, '..'));
    const r = await land({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode, r.results.map((x) => x.message).join('\n')).toBe(0);
    const uris = (await queryDuckDb(join(dir, 'target', 'test.duckdb'), "select source, uri from strata_meta.landed_files where status = 'loaded' order by source")).map((x) => [x.source, x.uri]);
    expect(uris).toEqual([
      ['landing.from_parent', `${pathToFileURL(outside).href}/day_1.parquet`],
      ['landing.from_s3', `s3://${bucket}/events/day_1.parquet`],
      ['landing.from_url', `${pathToFileURL(outside).href}/day_1.parquet`],
    ]);
  });
});
