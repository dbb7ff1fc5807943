/**
 * `state:modified` through macros as dbt follows them: each macro's `depends_on.macros` (its calls, with
 * `adapter.dispatch` resolved to the implementation this target calls), and the manifest lists every macro
 * a node or macro depends on (dbt's own included).
 */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { build, list } from '../api/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const MONEY = (duck: string, fallback = 'round({{ v }}, 2)'): string =>
  `{% macro money(v) %}{{ return(adapter.dispatch('money', 'p')(v)) }}{% endmacro %}
{% macro default__money(v) %}${fallback}{% endmacro %}
{% macro duckdb__money(v) %}${duck}{% endmacro %}
{% macro priced(v) %}{{ money(v) }} * 1{% endmacro %}`;

const FILES = {
  'macros/money.sql': MONEY('round({{ v }}, 2)'),
  'models/prices.sql': "select {{ money('1.2345') }} as amount",
  'models/direct.sql': "select {{ adapter.dispatch('money', 'p')('2.5') }} as amount",
  'models/nested.sql': "select {{ priced('3.25') }} as amount",
  'models/plain.sql': 'select 1 as id',
  'models/schema.yml': 'version: 2\nmodels:\n  - name: plain\n    columns:\n      - name: id\n        data_tests: [not_null, unique]\n',
};

type Json = Record<string, any>;

async function saved(): Promise<{ dir: string; state: string; modified: () => Promise<string[]> }> {
  const dir = writeProject(FILES);
  dirs.push(dir);
  expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
  const state = join(dir, 'prod-state');
  mkdirSync(state);
  writeFileSync(join(state, 'manifest.json'), readFileSync(join(dir, 'target', 'manifest.json')));
  const modified = async (): Promise<string[]> => {
    const r = await list({ projectDir: dir, profilesDir: dir, select: ['state:modified'], state, output: 'name' });
    expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(0);
    return [...r.lines].sort();
  };
  return { dir, state, modified };
}

describe('state:modified.macros through adapter.dispatch', () => {
  it('selects the callers of an edited adapter implementation, directly, through dispatch and through other macros', async () => {
    const p = await saved();
    expect(await p.modified()).toEqual([]);
    // default__money is not what a DuckDB target calls: dbt resolves dispatch to duckdb__money alone.
    writeFileSync(join(p.dir, 'macros/money.sql'), MONEY('round({{ v }}, 2)', 'round({{ v }}, 3)'));
    expect(await p.modified()).toEqual([]);
    writeFileSync(join(p.dir, 'macros/money.sql'), MONEY('round({{ v }}, 0)'));
    expect(await p.modified()).toEqual(['direct', 'nested', 'prices']);
  });

  it("compares dbt's own macros with a Strata manifest that lists them, not with dbt's manifest or an older Strata's", async () => {
    const p = await saved();
    const path = join(p.state, 'manifest.json');
    const original = JSON.parse(readFileSync(path, 'utf8')) as Json;
    const write = (change: (m: Json) => void): void => {
      const m = structuredClone(original);
      change(m);
      writeFileSync(path, JSON.stringify(m));
    };
    // Another text of the unique test saved (another Strata): the test that calls it is modified, as in dbt.
    write((m) => (m.macros['macro.dbt.test_unique'].macro_sql = '{% test unique(model, column_name) %}select 1{% endtest %}'));
    expect(await p.modified()).toEqual(['unique_plain_id']);
    // The same from dbt (no strata_version): dbt's text of its macros is not Strata's, so not compared.
    write((m) => {
      m.macros['macro.dbt.test_unique'].macro_sql = '{% test unique(model, column_name) %}select 1{% endtest %}';
      delete m.metadata.strata_version;
    });
    expect(await p.modified()).toEqual([]);
    // A Strata manifest listing the project's macros only.
    write((m) => (m.macros = Object.fromEntries(Object.entries(m.macros as Json).filter(([id]) => id.startsWith('macro.p.')))));
    expect(await p.modified()).toEqual([]);
  });
});

describe('manifest.json macros', () => {
  it("lists dbt's macros and each macro's calls, so every depends_on.macros resolves", async () => {
    const p = await saved();
    const m = JSON.parse(readFileSync(join(p.dir, 'target', 'manifest.json'), 'utf8')) as Json;
    const macros = m.macros as Record<string, Json>;
    expect(macros['macro.p.money']!.depends_on.macros).toEqual(['macro.p.duckdb__money']);
    expect(macros['macro.p.priced']!.depends_on.macros).toEqual(['macro.p.money']);
    expect(macros['macro.dbt.test_not_null']).toMatchObject({ package_name: 'dbt', name: 'test_not_null' });
    const tests = Object.values(m.nodes as Record<string, Json>).filter((n) => n.resource_type === 'test');
    expect(tests.map((t) => t.depends_on.macros).flat()).toContain('macro.dbt.test_unique');
    const missing: string[] = [];
    for (const owner of [...Object.values(m.nodes as Record<string, Json>), ...Object.values(macros)]) {
      for (const id of owner.depends_on.macros as string[]) if (!macros[id]) missing.push(`${owner.unique_id} → ${id}`);
    }
    expect(missing).toEqual([]);
  });
});
