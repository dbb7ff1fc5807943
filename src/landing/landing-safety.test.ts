/** Landing never duplicates, rewrites or silently skips data (issue 20, item 1): local folders, a real DuckDB file. */
import { describe, it, expect, afterAll } from 'vitest';
import { copyFileSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { land } from '../api/index.js';
import { parquetBytes } from './test-support/s3-fixtures.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const source = (table: string, external: string): string =>
  `version: 2\nsources:\n  - name: landing\n    schema: bronze\n    tables:\n      - name: ${table}\n        external:\n${external}`;

function project(files: Record<string, string>): { dir: string; db: string } {
  const dir = writeProject(files);
  dirs.push(dir);
  return { dir, db: join(dir, 'target', 'test.duckdb') };
}

/** Bronze rows per source file, and the ledger's loaded files with their row counts: the two must agree. */
async function bronzeAndLedger(db: string, table: string): Promise<{ bronze: Record<string, number>; ledger: Record<string, number> }> {
  const bronze = await queryDuckDb(db, `select _strata_source_file as f, count(*)::int as n from bronze.${table} group by 1 order by 1`);
  const ledger = await queryDuckDb(db, "select uri as f, row_count::int as n from strata_meta.landed_files where status = 'loaded' order by 1");
  return { bronze: Object.fromEntries(bronze.map((r) => [r.f, r.n])), ledger: Object.fromEntries(ledger.map((r) => [r.f, r.n])) };
}

describe('relanding', () => {
  it('an object at another location is another object; a reland removes the rows of the file it replaces', async () => {
    const { dir, db } = project({ 'models/sources.yml': source('customers', "          location: \"{{ env_var('LOC', 'landing') }}/customers/\"\n") });
    mkdirSync(join(dir, 'landing', 'customers'), { recursive: true });
    writeFileSync(join(dir, 'landing', 'customers', 'customers.parquet'), await parquetBytes('select range as id from range(0, 200)'));
    expect((await land({ projectDir: dir, profilesDir: dir, env: {} })).exitCode).toBe(0);
    // The same file copied to another place (another mtime, so another ETag), as a bucket holding the same file.
    mkdirSync(join(dir, 'mirror', 'customers'), { recursive: true });
    copyFileSync(join(dir, 'landing', 'customers', 'customers.parquet'), join(dir, 'mirror', 'customers', 'customers.parquet'));
    utimesSync(join(dir, 'mirror', 'customers', 'customers.parquet'), new Date(2020, 0, 1), new Date(2020, 0, 1));
    const env = { LOC: pathToFileURL(join(dir, 'mirror')).href };
    const events: string[] = [];
    const moved = await land({ projectDir: dir, profilesDir: dir, env, relandChanged: true, reporter: { emit: (e) => { if (e.type === 'info') events.push(e.message); } } });
    expect(moved.exitCode).toBe(0);
    expect(events.join('\n')).not.toContain('changed since');
    let state = await bronzeAndLedger(db, 'customers');
    expect(state.bronze).toEqual(state.ledger);
    expect(Object.keys(state.ledger)).toHaveLength(2);
    // The mirror's file changes and is relanded: its old rows go, in the same transaction as the new ones arrive.
    writeFileSync(join(dir, 'mirror', 'customers', 'customers.parquet'), await parquetBytes('select range as id from range(0, 50)'));
    const reland = await land({ projectDir: dir, profilesDir: dir, env, relandChanged: true });
    expect(reland.results[0]?.message).toBe('landed 1 file (50 rows), skipped 0');
    state = await bronzeAndLedger(db, 'customers');
    expect(state.bronze).toEqual(state.ledger);
    expect(Object.values(state.bronze).sort()).toEqual([200, 50]);
  });

  it('counts a changed object that was not reloaded as skipped, and says so', async () => {
    const { dir } = project({ 'models/sources.yml': source('customers', '          location: landing/customers/\n') });
    mkdirSync(join(dir, 'landing', 'customers'), { recursive: true });
    const file = join(dir, 'landing', 'customers', 'customers.parquet');
    writeFileSync(file, await parquetBytes('select range as id from range(0, 3)'));
    await land({ projectDir: dir, profilesDir: dir });
    writeFileSync(file, await parquetBytes('select range as id from range(0, 4)'));
    const r = await land({ projectDir: dir, profilesDir: dir });
    expect(r.results[0]?.message).toBe('landed 0 files (0 rows), skipped 1 (1 changed since landed, not reloaded)');
    expect(r.results[0]?.adapterResponse).toMatchObject({ files_landed: 0, files_skipped: 1, files_changed_not_reloaded: 1 });
  });
});

describe('CSV landing', () => {
  const csvSource = source('events', "          location: landing/events/\n          format: csv\n");

  it('keeps the text of a file as it is, reading it with the bronze table\'s types', async () => {
    const { dir, db } = project({ 'models/sources.yml': csvSource });
    mkdirSync(join(dir, 'landing', 'events'), { recursive: true });
    writeFileSync(join(dir, 'landing', 'events', 'a.csv'), 'id,flag,amount\n1,f,1.50\n2,t,1e3\n');
    writeFileSync(join(dir, 'landing', 'events', 'b.csv'), 'id,flag,amount\n3,no,2\n');
    const r = await land({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode, r.results[0]?.message).toBe(0);
    expect(await queryDuckDb(db, 'select id, flag, amount from bronze.events order by id')).toEqual([
      { id: '1', flag: 'f', amount: '1.50' },
      { id: '2', flag: 't', amount: '1e3' },
      { id: '3', flag: 'no', amount: '2' },
    ]);
  });

  it('rejects a ragged, an empty and a mistyped file by name, lands the rest, adds no junk columns', async () => {
    const { dir, db } = project({ 'models/sources.yml': csvSource });
    mkdirSync(join(dir, 'landing', 'events'), { recursive: true });
    writeFileSync(join(dir, 'landing', 'events', 'a.csv'), 'id,name\n1,a\n');
    expect((await land({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    // bronze.events.id is text; make it an integer so a file with a word in it does not fit.
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const inst = await DuckDBInstance.create(db);
    const conn = await inst.connect();
    await conn.run('alter table bronze.events alter id type integer');
    conn.closeSync();
    inst.closeSync();
    writeFileSync(join(dir, 'landing', 'events', 'b.csv'), 'id,name\n2,b,extra,fields\n3,c\n');
    writeFileSync(join(dir, 'landing', 'events', 'c.csv'), '');
    writeFileSync(join(dir, 'landing', 'events', 'd.csv'), 'id,name\nfour,d\n');
    writeFileSync(join(dir, 'landing', 'events', 'e.csv'), 'id,name\n5,e\n');
    const r = await land({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode).toBe(1);
    const message = r.results[0]?.message ?? '';
    expect(message).toMatch(/b\.csv: .*line:? 2/i);
    expect(message).toMatch(/c\.csv: .*empty/i);
    expect(message).toMatch(/d\.csv: .*four/i);
    expect(await queryDuckDb(db, 'select id, name from bronze.events order by id')).toEqual([{ id: 1, name: 'a' }, { id: 5, name: 'e' }]);
    const cols = (await queryDuckDb(db, "select column_name from information_schema.columns where table_name = 'events' and column_name not like '\\_strata%' escape '\\' order by ordinal_position")).map((c) => c.column_name);
    expect(cols).toEqual(['id', 'name']);
  });
});

describe('landing locations', () => {
  const cases: [string, string, RegExp][] = [
    ['no location', '          format: parquet\n', /no location/],
    ['a folder that does not exist', '          location: nowhere/\n', /does not exist/],
    ['a file', '          location: project.yml\n', /is a file/],
    ['broken Jinja', "          location: \"{{ env_var( }}/x/\"\n", /template/],
    ['an invalid glob', "          location: landing/\n          pattern: '**/*.{parquet'\n", /pattern/],
  ];
  it.each(cases)('%s is a located error, exit 2, nothing written', async (_name, external, message) => {
    const { dir, db } = project({ 'models/sources.yml': source('events', external) });
    mkdirSync(join(dir, 'landing'), { recursive: true });
    const r = await land({ projectDir: dir, profilesDir: dir, env: {} });
    expect(r.exitCode).toBe(2);
    const d = r.diagnostics.find((x) => x.severity === 'error');
    expect(d?.message).toMatch(message);
    expect(d?.file).toBe('models/sources.yml');
    expect(d?.line).toBeGreaterThan(0);
    expect(d?.hint).toBeTruthy();
    const { existsSync } = await import('node:fs');
    expect(existsSync(db)).toBe(false);
  });
});

// A project folder that moved, two copies of a project, and ledgers of earlier versions: local-identity.test.ts.
