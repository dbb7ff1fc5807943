/** `--state`: state:new / state:modified against a saved manifest, and `--defer` to the saved run's relations. */
import { describe, it, expect, afterAll } from 'vitest';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build, compile, list, show } from '../api/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

/** Two targets in one DuckDB file: `prod` builds into schema prod, `dev` into main. */
const PROFILES = 'p:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: target/wh.duckdb\n      schema: main\n    prod:\n      type: duckdb\n      path: target/wh.duckdb\n      schema: prod\n';

const FILES = {
  'profiles.yml': PROFILES,
  'macros/m.sql': "{% macro shout(x) %}upper({{ x }}){% endmacro %}\n{% macro loud(x) %}{{ shout(x) }}{% endmacro %}",
  'models/a.sql': "{{ config(materialized='table') }} select 1 as id, '{{ target.name }}' as built_in",
  'models/b.sql': "select * from {{ ref('a') }}",
  'models/c.sql': "select id from {{ ref('a') }}",
  'models/e.sql': "select {{ loud(\"'e'\") }} as v",
  'models/after_b.sql': "select * from {{ ref('b') }}",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: c\n    config:\n      tags: [daily]\n',
};

function savedProject(): { dir: string; state: string; names: (select: string[], extra?: Record<string, unknown>) => Promise<string[]> } {
  const dir = writeProject(FILES);
  dirs.push(dir);
  const state = join(dir, 'prod-state');
  return {
    dir,
    state,
    names: async (select, extra = {}) => {
      const r = await list({ projectDir: dir, profilesDir: dir, select, state, output: 'name', ...extra });
      expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(0);
      return [...r.lines].sort();
    },
  };
}

async function saveProdState(dir: string, state: string): Promise<void> {
  expect((await build({ projectDir: dir, profilesDir: dir, target: 'prod' })).exitCode).toBe(0);
  mkdirSync(state, { recursive: true });
  copyFileSync(join(dir, 'target', 'manifest.json'), join(state, 'manifest.json'));
}

describe('state selection', () => {
  it('selects new and modified nodes by what changed: body, configs, macros (through other macros)', async () => {
    const p = savedProject();
    await saveProdState(p.dir, p.state);
    expect(await p.names(['state:modified'])).toEqual([]);

    writeFileSync(join(p.dir, 'models/b.sql'), "select id, built_in from {{ ref('a') }}");
    writeFileSync(join(p.dir, 'models/schema.yml'), 'version: 2\nmodels:\n  - name: c\n    config:\n      tags: [hourly]\n');
    writeFileSync(join(p.dir, 'macros/m.sql'), "{% macro shout(x) %}upper(trim({{ x }})){% endmacro %}\n{% macro loud(x) %}{{ shout(x) }}{% endmacro %}");
    writeFileSync(join(p.dir, 'models/d.sql'), 'select 4 as id');

    expect(await p.names(['state:new'])).toEqual(['d']);
    expect(await p.names(['state:modified'])).toEqual(['b', 'c', 'd', 'e']);
    expect(await p.names(['state:modified.body'])).toEqual(['b', 'd']);
    expect(await p.names(['state:modified.configs'])).toEqual(['c', 'd']);
    expect(await p.names(['state:modified.macros'])).toEqual(['d', 'e']);
    expect(await p.names(['state:modified+'])).toEqual(['after_b', 'b', 'c', 'd', 'e']);
    expect(await p.names(['state:unmodified'], { resourceTypes: ['model'] })).toEqual(['a', 'after_b']);

    const without = await list({ projectDir: p.dir, profilesDir: p.dir, select: ['state:modified'] });
    expect(without.exitCode).toBe(2);
    expect(without.diagnostics[0]!.message).toContain('pass --state');
    const missing = await list({ projectDir: p.dir, profilesDir: p.dir, select: ['state:modified'], state: join(p.dir, 'nowhere') });
    expect(missing.exitCode).toBe(2);
    expect(missing.diagnostics[0]).toMatchObject({ code: 'state-not-found' });
  });

  it('--defer reads unselected parents from the saved run where this target has not built them; --favor-state always', async () => {
    const p = savedProject();
    await saveProdState(p.dir, p.state);
    const db = join(p.dir, 'target', 'wh.duckdb');
    // In dev nothing is built: b reads prod's a — compiled, previewed, and built.
    const compiled = await compile({ projectDir: p.dir, profilesDir: p.dir, select: ['b'], state: p.state, defer: true });
    expect(compiled.compiled.get('model.p.b')).toContain('"prod"."a"');
    const offline = await compile({ projectDir: p.dir, profilesDir: p.dir, select: ['b'], state: p.state, defer: true, offline: true });
    expect(offline.compiled.get('model.p.b')).toContain('"prod"."a"');
    expect((await show({ projectDir: p.dir, profilesDir: p.dir, select: ['b'], state: p.state, defer: true })).previews[0]!.rows).toEqual([{ id: 1, built_in: 'prod' }]);
    const deferred = await build({ projectDir: p.dir, profilesDir: p.dir, select: ['b'], state: p.state, defer: true });
    expect(deferred.exitCode).toBe(0);
    expect(deferred.results.map((r) => r.uniqueId)).toEqual(['model.p.b']);
    expect(await queryDuckDb(db, 'select built_in from main.b')).toEqual([{ built_in: 'prod' }]);
    // Once dev has its own a, b reads it — unless the saved relations are favoured.
    expect((await build({ projectDir: p.dir, profilesDir: p.dir, select: ['a'] })).exitCode).toBe(0);
    expect((await build({ projectDir: p.dir, profilesDir: p.dir, select: ['b'], state: p.state, defer: true })).exitCode).toBe(0);
    expect(await queryDuckDb(db, 'select built_in from main.b')).toEqual([{ built_in: 'dev' }]);
    expect((await build({ projectDir: p.dir, profilesDir: p.dir, select: ['b'], state: p.state, defer: true, favorState: true })).exitCode).toBe(0);
    expect(await queryDuckDb(db, 'select built_in from main.b')).toEqual([{ built_in: 'prod' }]);
    // Without --defer, a missing parent is just missing.
    const dir2 = savedProject();
    await saveProdState(dir2.dir, dir2.state);
    const plain = await build({ projectDir: dir2.dir, profilesDir: dir2.dir, select: ['b'] });
    expect(plain.exitCode).toBe(1);
  });
});
