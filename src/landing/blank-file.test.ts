/** A blank JSON file landed (a day without records): no invented column in bronze, the source's declared columns used, a warning without them. */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build, land } from '../api/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const declared = '        columns:\n          - name: post\n            data_type: struct(id varchar)\n          - name: text\n            data_type: varchar\n';

function project(landAs: 'table' | 'parquet', format: 'ndjson', columns = ''): { dir: string; db: string; drop: string } {
  const dir = writeProject({
    'models/sources.yml': `version: 2\nsources:\n  - name: landing\n    schema: bronze\n    tables:\n      - name: posts\n${columns}        external:\n          location: landing/posts/\n          format: ${format}\n          pattern: "day_*.json"\n          land_as: ${landAs}\n`,
    'models/stg_posts.sql': "select post.id as post_id, text from {{ source('landing', 'posts') }}",
  });
  dirs.push(dir);
  const drop = join(dir, 'landing', 'posts');
  mkdirSync(drop, { recursive: true });
  return { dir, db: join(dir, 'target', 'test.duckdb'), drop };
}

const columnsOf = async (db: string): Promise<string[]> =>
  (await queryDuckDb(db, "select column_name from information_schema.columns where table_schema = 'bronze' and table_name = 'posts' order by ordinal_position")).map((r) => String(r.column_name));

async function landing(dir: string): Promise<{ exitCode: number; message: string | undefined; infos: string[] }> {
  const infos: string[] = [];
  const r = await land({ projectDir: dir, profilesDir: dir, reporter: { emit: (e) => { if (e.type === 'info') infos.push(e.message); } } });
  return { exitCode: r.exitCode, message: r.results[0]?.message, infos };
}

describe('landing a blank file', () => {
  for (const landAs of ['table', 'parquet'] as const) {
    it(`(${landAs}) lands it once with no rows and no column of its own, warns, and the next file's columns make bronze`, async () => {
      const { dir, db, drop } = project(landAs, 'ndjson');
      writeFileSync(join(drop, 'day_1.json'), '\n');
      const first = await landing(dir);
      expect(first.exitCode).toBe(0);
      expect(first.message).toBe('landed 1 file (0 rows), skipped 0');
      expect(first.infos.filter((m) => m.startsWith('warning:'))).toEqual([
        'warning: landing.posts: day_1.json has no rows, and "bronze"."posts" has no columns of the source yet: models that read them fail until a file with rows lands; declare the source\'s columns with a data_type in its YAML file to have them from the first landing',
      ]);
      // Not DuckDB's invented `json` column, which would stay in bronze for good.
      expect(await columnsOf(db)).toEqual(['_strata_source_file', '_strata_loaded_at', '_strata_invocation_id']);
      expect((await landing(dir)).message).toBe('nothing new: 1 file already landed');

      writeFileSync(join(drop, 'day_2.json'), JSON.stringify({ post: { id: 'p1' }, text: 'hi' }) + '\n');
      expect((await landing(dir)).message).toBe('landed 1 file (1 rows), skipped 1');
      expect((await columnsOf(db)).sort()).toEqual(['_strata_invocation_id', '_strata_loaded_at', '_strata_source_file', 'post', 'text']);
      expect(await queryDuckDb(db, "select post.id as id, text, _strata_source_file as f from bronze.posts")).toEqual([{ id: 'p1', text: 'hi', f: 'file:landing/posts/day_2.json' }]);
      expect(await queryDuckDb(db, "select key, row_count::int as n from strata_meta.landed_files where status = 'loaded' order by key")).toEqual([
        { key: 'day_1.json', n: 0 },
        { key: 'day_2.json', n: 1 },
      ]);
    });

    it(`(${landAs}) makes bronze from the source's declared columns, so a first day without rows builds`, async () => {
      const { dir, db, drop } = project(landAs, 'ndjson', declared);
      writeFileSync(join(drop, 'day_1.json'), '[]');
      const r = await build({ projectDir: dir, profilesDir: dir });
      expect(r.exitCode, r.results.map((x) => x.message).join('; ')).toBe(0);
      expect(await queryDuckDb(db, "select column_name as c, data_type as t from information_schema.columns where table_schema = 'bronze' and table_name = 'posts' and column_name not like '\\_strata%' escape '\\' order by 1")).toEqual([
        { c: 'post', t: 'STRUCT(id VARCHAR)' },
        { c: 'text', t: 'VARCHAR' },
      ]);
      expect(await queryDuckDb(db, 'select count(*)::int as n from main.stg_posts')).toEqual([{ n: 0 }]);
      writeFileSync(join(drop, 'day_2.json'), JSON.stringify({ post: { id: 'p2' }, text: 'yo' }) + '\n');
      expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
      expect(await queryDuckDb(db, 'select post_id, text from main.stg_posts')).toEqual([{ post_id: 'p2', text: 'yo' }]);
    });
  }

  it('leaves an existing bronze table as it was, without a warning', async () => {
    const { dir, db, drop } = project('table', 'ndjson');
    writeFileSync(join(drop, 'day_1.json'), JSON.stringify({ post: { id: 'p1' }, text: 'a' }) + '\n');
    expect((await landing(dir)).exitCode).toBe(0);
    const before = await columnsOf(db);
    writeFileSync(join(drop, 'day_2.json'), '  \n\n');
    const second = await landing(dir);
    expect(second.message).toBe('landed 1 file (0 rows), skipped 1');
    expect(second.infos.filter((m) => m.startsWith('warning:'))).toEqual([]);
    expect(await columnsOf(db)).toEqual(before);
    expect(await queryDuckDb(db, 'select post.id as id, text from bronze.posts')).toEqual([{ id: 'p1', text: 'a' }]);
  });

  it('(parquet) lands a blank file into an existing view whatever the declared columns say: they only make a new relation', async () => {
    const { dir, db, drop } = project('parquet', 'ndjson');
    writeFileSync(join(drop, 'day_1.json'), JSON.stringify({ post: { id: 1 }, text: 'a' }) + '\n');
    expect((await landing(dir)).exitCode).toBe(0);
    // Declared later, and not as bronze has it: a file with rows would fail by name (post.id is BIGINT in bronze).
    const yml = join(dir, 'models', 'sources.yml');
    writeFileSync(yml, readFileSync(yml, 'utf8').replace('        external:', '        columns:\n          - name: post\n            data_type: struct(id varchar)\n        external:'));
    writeFileSync(join(drop, 'day_2.json'), '[ ]');
    const second = await landing(dir);
    expect(second.exitCode).toBe(0);
    expect(second.message).toBe('landed 1 file (0 rows), skipped 1');
    expect(await queryDuckDb(db, "select data_type as t from information_schema.columns where table_schema = 'bronze' and table_name = 'posts' and column_name = 'post'")).toEqual([{ t: 'STRUCT(id BIGINT)' }]);
    expect(await queryDuckDb(db, 'select post.id as id, text from bronze.posts')).toEqual([{ id: '1', text: 'a' }]);
  });
});
