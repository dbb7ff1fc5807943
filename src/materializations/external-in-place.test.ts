/**
 * External outputs that keep what their folder holds (`append`, `overwrite_or_ignore`): a node that fails after
 * the write (a post-hook) leaves the folder as it was, so a retry writes the rows once. On a real DuckDB file.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build, retry, run } from '../api/index.js';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { copyFlag } from './external-in-place.js';
import { urlWriteWarning } from './external.js';

const project = duckDbProjectsRemovedAfterAll();
const opts = (dir: string, vars?: Record<string, unknown>) => ({ projectDir: dir, profilesDir: dir, ...(vars ? { vars: JSON.stringify(vars) } : {}) });
/** A hook that fails when the run says so: a cast DuckDB refuses. */
const HOOK = "{% if var('fail', false) %}select cast('kaboom' as integer){% else %}select 1{% endif %}";

/** Every file under a folder, with its contents, and every folder (empty ones included). */
function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) {
        out[`${relative(root, p)}/`] = '';
        walk(p);
      } else out[relative(root, p)] = readFileSync(p).toString('base64');
    }
  };
  walk(root);
  return out;
}

describe('external outputs written into a folder they keep', () => {
  it('append: a failing post-hook writes nothing, and a retry writes the rows once', async () => {
    const f = project({
      'models/drops.sql': `{{ config(materialized='external', location='drops_lake', options={'partition_by': 'ds', 'append': true}, post_hook="${HOOK}") }}\nselect '{{ var('ds') }}' as ds, n from range(3) as t(n)`,
    });
    expect((await run(opts(f.dir, { ds: 'd1' }))).exitCode).toBe(0);
    const before = tree(join(f.dir, 'drops_lake'));
    const failed = await run(opts(f.dir, { ds: 'd2', fail: true }));
    expect(failed.exitCode).toBe(1);
    expect(failed.results[0]?.message).toContain('kaboom');
    expect(tree(join(f.dir, 'drops_lake'))).toEqual(before);
    expect(readdirSync(join(f.dir, 'drops_lake'))).toEqual(['ds=d1']);
    expect(await f.q('select ds, count(*)::int as n from main.drops group by ds order by ds')).toEqual([{ ds: 'd1', n: 3 }]);

    const retried = await retry(opts(f.dir, { ds: 'd2', fail: false }));
    expect(retried.exitCode).toBe(0);
    expect(await f.q('select ds, count(*)::int as n from main.drops group by ds order by ds')).toEqual([{ ds: 'd1', n: 3 }, { ds: 'd2', n: 3 }]);
    // A second day into a partition that has files: appended beside them under a new name, as DuckDB's append.
    expect((await run(opts(f.dir, { ds: 'd2' }))).exitCode).toBe(0);
    expect(readdirSync(join(f.dir, 'drops_lake', 'ds=d2'))).toHaveLength(2);
    expect(await f.q('select ds, count(*)::int as n from main.drops group by ds order by ds')).toEqual([{ ds: 'd1', n: 3 }, { ds: 'd2', n: 6 }]);
    expect(readdirSync(f.dir).filter((e) => e.includes('strata-'))).toEqual([]);
  });

  it('overwrite_or_ignore: a failing post-hook leaves the previous files; a new partition folder goes again', async () => {
    const f = project({
      'models/by_region.sql': `{{ config(materialized='external', location='by_region', options={'partition_by': 'region', 'overwrite_or_ignore': true}, post_hook="${HOOK}") }}\nselect * from (values ('north', {{ var('v', 1) }}), ('{{ var('second', 'south') }}', {{ var('v', 1) }})) as t(region, v)`,
    });
    expect((await run(opts(f.dir))).exitCode).toBe(0);
    const before = tree(join(f.dir, 'by_region'));
    expect(Object.keys(before).sort()).toEqual(['region=north/', 'region=north/data_0.parquet', 'region=south/', 'region=south/data_0.parquet']);
    const failed = await run(opts(f.dir, { v: 2, second: 'west', fail: true }));
    expect(failed.exitCode).toBe(1);
    expect(tree(join(f.dir, 'by_region'))).toEqual(before);
    expect(await f.q('select region, v::int as v from main.by_region order by 1')).toEqual([{ region: 'north', v: 1 }, { region: 'south', v: 1 }]);

    // Passing: north replaced, south kept (ignored), west added, as DuckDB's overwrite_or_ignore.
    expect((await run(opts(f.dir, { v: 2, second: 'west' }))).exitCode).toBe(0);
    expect(await f.q('select region, v::int as v from main.by_region order by 1')).toEqual([{ region: 'north', v: 2 }, { region: 'south', v: 1 }, { region: 'west', v: 2 }]);
    expect(readdirSync(f.dir).filter((e) => e.includes('strata-'))).toEqual([]);
  });

  it('a run with no rows adds no file to a kept folder, and the view still shows what the folder holds', async () => {
    const f = project({
      'models/events_lake.sql': `{{ config(materialized='external', location='events_lake', options={'format': 'csv', 'partition_by': 'ds', 'append': true}) }}\nselect '{{ var('ds') }}' as ds, n from range({{ var('n') }}) as t(n)`,
    });
    // The first run has no rows: nothing is written, the view has the model's columns and no rows.
    expect((await run(opts(f.dir, { ds: 'd0', n: 0 }))).exitCode).toBe(0);
    expect(existsSync(join(f.dir, 'events_lake')) ? readdirSync(join(f.dir, 'events_lake')) : []).toEqual([]);
    expect(await f.q('select count(*)::int as n from main.events_lake')).toEqual([{ n: 0 }]);
    expect(await f.q("select column_name from information_schema.columns where table_name = 'events_lake' order by ordinal_position")).toEqual([{ column_name: 'ds' }, { column_name: 'n' }]);
    expect((await run(opts(f.dir, { ds: 'd1', n: 2 }))).exitCode).toBe(0);
    // An empty day adds nothing, and the rows of the days before stay in view (no row of nulls, no limit 0).
    expect((await run(opts(f.dir, { ds: 'd2', n: 0 }))).exitCode).toBe(0);
    expect(readdirSync(join(f.dir, 'events_lake'))).toEqual(['ds=d1']);
    expect(await f.q('select ds, count(*)::int as n, count(n)::int as nn from main.events_lake group by ds order by ds')).toEqual([{ ds: 'd1', n: 2, nn: 2 }]);
  });

  it('a partitioned Parquet output kept in place takes a run of no rows; a single file is replaced by it', async () => {
    const f = project({
      'models/parts.sql': `{{ config(materialized='external', location='parts', format='parquet', options={'partition_by': 'k', 'append': true}) }}\nselect * from (values (1, 'a')) t(id, k) where {{ var('rows', 'true') }}`,
      'models/one.sql': `{{ config(materialized='external', location='one.csv', options={'overwrite_or_ignore': true}) }}\nselect * from (values (1, 'a')) t(id, k) where {{ var('rows', 'true') }}`,
    });
    expect((await run(opts(f.dir))).exitCode).toBe(0);
    const empty = await run(opts(f.dir, { rows: 'false' }));
    expect(empty.exitCode, JSON.stringify(empty.results.map((r) => r.message))).toBe(0);
    expect(await f.q('select count(*)::int as n from main.parts')).toEqual([{ n: 1 }]);
    // A single file keeps nothing: it now holds no rows, as without the option.
    expect(await f.q('select count(*)::int as n from main.one')).toEqual([{ n: 0 }]);
  });

  it('makes the missing parent folders of an in-place location', async () => {
    const f = project({ 'models/deep.sql': "{{ config(materialized='external', location='a/b/c/deep.csv', options={'overwrite_or_ignore': true}) }} select 1 as id" });
    const r = await build(opts(f.dir));
    expect(r.exitCode, JSON.stringify(r.results.map((x) => x.message))).toBe(0);
    expect(readFileSync(join(f.dir, 'a', 'b', 'c', 'deep.csv'), 'utf8')).toBe('id\n1\n');
    expect(readdirSync(join(f.dir, 'a', 'b', 'c'))).toEqual(['deep.csv']);
    expect(existsSync(join(f.dir, 'a', 'b', 'c', 'deep.csv'))).toBe(true);
  });

  it('a file:/// location is a local path: a failing post-hook on its append output leaves it as it was', async () => {
    const f = project({ 'models/taps.sql': 'select 1 as n' });
    f.write('models/taps.sql', `{{ config(materialized='external', location='file://${f.dir}/taps_out', options={'partition_by': 'day', 'append': true}, post_hook="${HOOK}") }}\nselect '{{ var('day') }}' as day, 1 as n`);
    expect((await run(opts(f.dir, { day: 'mon' }))).exitCode).toBe(0);
    expect((await run(opts(f.dir, { day: 'tue', fail: true }))).exitCode).toBe(1);
    expect(readdirSync(join(f.dir, 'taps_out'))).toEqual(['day=mon']);
    expect((await retry(opts(f.dir, { day: 'tue' }))).exitCode).toBe(0);
    expect(await f.q('select day, count(*)::int as n from main.taps group by day order by day')).toEqual([{ day: 'mon', n: 1 }, { day: 'tue', n: 1 }]);
  });

  it('an object-store output cannot be put back: the warning a model with hooks in its transaction logs first', () => {
    expect(urlWriteWarning('drops', 's3://lake/drops', true)).toBe(
      "Warning: model 'drops' writes s3://lake/drops in place (an object store has no rename): if a post-hook fails, the files this run wrote stay there, and a retry writes its rows again. A local path is written beside and moved into place, so a failed node leaves it as it was.",
    );
    expect(urlWriteWarning('drops', 's3://lake/drops.parquet', false)).toContain('the previous file is not put back');
  });

  it('reads a COPY flag as DuckDB does: present and not false', () => {
    expect(copyFlag('format parquet, partition_by (a, b), append True', 'append')).toBe(true);
    expect(copyFlag('format parquet, append', 'append')).toBe(true);
    // A partition column named like the flag is no flag.
    expect(copyFlag('format parquet, partition_by (k, append)', 'append')).toBe(false);
    expect(copyFlag("format csv, delimiter ',append', header 1", 'append')).toBe(false);
    expect(copyFlag('format parquet, append False', 'append')).toBe(false);
    expect(copyFlag('format parquet, overwrite_or_ignore 1', 'append')).toBe(false);
    expect(copyFlag('overwrite_or_ignore 1', 'overwrite_or_ignore')).toBe(true);
  });
});
