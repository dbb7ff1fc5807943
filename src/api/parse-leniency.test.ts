/**
 * Models that read warehouse results (run_query, load_result, adapter.get_relation) parse as in dbt, whose
 * parse-time undefined is chainable (None at parse, `execute` being false), and then build with the real
 * values on a DuckDB file.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build, parse } from './index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const files = {
  'models/x.sql': "select 1 as id, date '2024-01-02' as d union all select 2, date '2024-01-05'",
  'models/latest.sql': `{% set results = run_query("select max(d) from " ~ ref('x')) %}
{% set max_d = results.columns[0].values()[0] %}
select * from {{ ref('x') }} where d = '{{ max_d }}'`,
  // As dbt: the ref inside statement() is not rendered at parse, so the dependency is stated.
  'models/counted.sql': `-- depends_on: {{ ref('x') }}
{% call statement('stmt', fetch_result=True) %}select count(*) from {{ ref('x') }}{% endcall %}
select {{ load_result('stmt')['data'][0][0] }} as n`,
  'models/found.sql': `{% set r = adapter.get_relation(database=none, schema='main', identifier='x') %}
select '{{ r.identifier.upper() }}' as ident from {{ ref('x') }}`,
  'models/cols.sql': `{% set cols = [] %}{% for c in adapter.get_columns_in_relation(ref('x')) %}{% do cols.append(c.name) %}{% endfor %}
select {{ cols | join(', ') }} from {{ ref('x') }}`,
};

describe('parse-time leniency, then real values at execution', () => {
  it('parses models that read warehouse results, and builds them with those results', async () => {
    const dir = writeProject(files);
    dirs.push(dir);
    const parsed = await parse({ projectDir: dir, profilesDir: dir });
    expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(parsed.exitCode).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { depends_on: { nodes: string[] } }> };
    for (const m of ['latest', 'counted', 'found', 'cols']) expect(manifest.nodes[`model.p.${m}`]!.depends_on.nodes).toEqual(['model.p.x']);

    const built = await build({ projectDir: dir, profilesDir: dir });
    expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(built.exitCode).toBe(0);
    const db = join(dir, 'target', 'test.duckdb');
    expect(readFileSync(join(dir, 'target', 'compiled', 'p', 'models', 'latest.sql'), 'utf8')).toContain(`where d = '2024-01-05'`);
    expect(await queryDuckDb(db, 'select id from main.latest')).toEqual([{ id: 1 + 1 }]);
    expect(await queryDuckDb(db, 'select n from main.counted')).toEqual([{ n: 2 }]);
    expect(await queryDuckDb(db, 'select distinct ident from main.found')).toEqual([{ ident: 'X' }]);
    expect(await queryDuckDb(db, 'select * from main.cols order by id')).toHaveLength(2);
  });

  it('fails at execution where the value is still missing, as dbt does', async () => {
    const dir = writeProject({ 'models/x.sql': 'select 1 as id', 'models/y.sql': "{% set r = load_result('never_run') %}select {{ r['data'][0][0] }} as n from {{ ref('x') }}" });
    dirs.push(dir);
    expect((await parse({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    const built = await build({ projectDir: dir, profilesDir: dir });
    expect(built.exitCode).toBe(1);
    expect(built.results.find((r) => r.uniqueId === 'model.p.y')).toMatchObject({ status: 'error', message: expect.stringContaining("has no attribute 'data'") });
  });

  it("lets a disabled model call a macro that exists nowhere (another warehouse's), as dbt's parse does", async () => {
    const dir = writeProject({
      'project.yml': 'name: p\nprofile: p\nmodels:\n  p:\n    sf_only:\n      +enabled: false\n',
      'models/sf_only.sql': 'select {{ snowflake_only_macro() }} as x',
      'models/off.sql': "{{ config(enabled=false) }} select {{ other_missing() }} as y",
      'models/ok.sql': 'select 1 as a',
      'models/broken.sql': 'select {{ not_a_macro() }} as z',
    });
    dirs.push(dir);
    const parsed = await parse({ projectDir: dir, profilesDir: dir });
    // Only the enabled model's unknown macro is an error.
    expect(parsed.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.file}`)).toEqual(['macro-not-found models/broken.sql']);
  });
});
