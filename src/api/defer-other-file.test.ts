/** `--defer` to a state built by a target whose DuckDB file is another file than this target's. */
import { afterAll, expect, it } from 'vitest';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeProject, writeProject } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build, compile, show } from './index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

/** `live` builds into live.duckdb, `check` (the default) into check.duckdb. */
const profiles = (attach = ''): string =>
  `p:\n  target: check\n  outputs:\n    live:\n      type: duckdb\n      path: live.duckdb\n      schema: main\n    check:\n      type: duckdb\n      path: check.duckdb\n      schema: main\n${attach}`;

it('fails with the attach: entry to add when the state is in a file this target does not attach; reads it once attached', async () => {
  const dir = writeProject({
    'profiles.yml': profiles(),
    'models/upstream.sql': "{{ config(materialized='table') }} select 7 as n, '{{ target.name }}' as built_by",
    // A table: a view would name live's catalog, which a connection without the attach: entry cannot read.
    'models/downstream.sql': "{{ config(materialized='table') }} select n * 2 as doubled, built_by from {{ ref('upstream') }}",
  });
  dirs.push(dir);
  expect((await build({ projectDir: dir, profilesDir: dir, target: 'live' })).exitCode).toBe(0);
  const state = join(dir, 'live-state');
  cpSync(join(dir, 'target'), state, { recursive: true });
  const options = { projectDir: dir, profilesDir: dir, select: ['downstream'], state, defer: true };

  const refused = await build(options);
  expect(refused.exitCode).toBe(2);
  expect(refused.diagnostics.filter((d) => d.severity === 'error')).toEqual([expect.objectContaining({
    code: 'defer-state-unreadable',
    file: join(dir, 'profiles.yml'),
    line: 8,
    message: expect.stringContaining("'live'"),
    hint: expect.stringContaining(`attach: list of target 'check' in profiles.yml ({path: '${join(dir, 'live.duckdb')}', alias: live, read_only: true})`),
  })]);
  expect(refused.results).toEqual([]);
  expect(await queryDuckDb(join(dir, 'check.duckdb'), "select count(*)::int as n from information_schema.tables where table_name = 'downstream'")).toEqual([{ n: 0 }]);
  expect((await compile(options)).diagnostics.map((d) => d.code)).toContain('defer-state-unreadable');
  const preview = await show(options);
  expect([preview.exitCode, preview.diagnostics.map((d) => d.code)]).toEqual([2, ['defer-state-unreadable']]);
  // An --inline query that reads no deferred parent is not stopped.
  const inline = await show({ ...options, select: undefined, inline: 'select 3 as three' });
  expect([inline.exitCode, inline.previews[0]?.rows]).toEqual([0, [{ three: 3 }]]);

  writeFileSync(join(dir, 'profiles.yml'), profiles(`      attach:\n        - {path: live.duckdb, alias: live, read_only: true}\n`));
  const built = await build(options);
  expect(built.exitCode, JSON.stringify(built.diagnostics)).toBe(0);
  expect(await queryDuckDb(join(dir, 'check.duckdb'), 'select * from main.downstream')).toEqual([{ doubled: 14, built_by: 'live' }]);
});
