/**
 * A ref that the parse did not see (inside `{% if execute %}` or an `is_incremental()` block) is refused when
 * the node runs, as dbt's RuntimeRefResolver refuses it: otherwise the node may run before what it reads.
 * A `-- depends_on:` line makes the dependency known, and the node then waits for its parent.
 */
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { projectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build } from '../api/index.js';

const project = projectsRemovedAfterAll();

describe('refs the parse did not see', () => {
  it('fail the node with the depends_on hint, and build once the hint is there', async () => {
    const dir = project({
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "select {% if execute %}(select max(id) from {{ ref('a') }}){% else %}0{% endif %} as top",
    });
    const r = await build({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode).toBe(1);
    const b = r.results.find((x) => x.uniqueId === 'model.p.b');
    expect(b).toMatchObject({ status: 'error' });
    expect(b?.message).toContain('unable to infer all dependencies for the model "b"');
    expect(b?.message).toContain("-- depends_on: {{ ref('a') }}");
    expect(r.results.find((x) => x.uniqueId === 'model.p.a')).toMatchObject({ status: 'success' });

    const fixed = project({
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "-- depends_on: {{ ref('a') }}\nselect {% if execute %}(select max(id) from {{ ref('a') }}){% else %}0{% endif %} as top",
    });
    expect((await build({ projectDir: fixed, profilesDir: fixed })).exitCode).toBe(0);
    expect(await queryDuckDb(join(fixed, 'target', 'test.duckdb'), 'select top from main.b')).toEqual([{ top: 1 }]);
  });

  it('in an is_incremental() block: the first build passes, the incremental run names the missing dependency', async () => {
    const dir = project({
      'models/a.sql': 'select 1 as id',
      'models/other.sql': 'select 5 as id',
      'models/inc.sql': "{{ config(materialized='incremental') }}\nselect id from {{ ref('a') }}\n{% if is_incremental() %}where id > (select max(id) from {{ ref('other') }}){% endif %}",
    });
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    const again = await build({ projectDir: dir, profilesDir: dir });
    expect(again.exitCode).toBe(1);
    expect(again.results.find((x) => x.uniqueId === 'model.p.inc')?.message).toContain("ref('other')");
    // The failed incremental run left the table as it was.
    expect(await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select id from main.inc')).toEqual([{ id: 1 }]);
  });
  it('leaves generic tests alone: a ref made by the test macro, to a version, or through var() passes, as in dbt', async () => {
    const dir = project({
      'macros/in_a.sql': '{% test in_a(model, column_name) %} select * from {{ model }} where {{ column_name }} not in (select id from {{ ref(\'a\') }}) {% endtest %}',
      'models/a.sql': 'select 1 as id',
      'models/c.sql': 'select 1 as id',
      'models/s.yml': "version: 2\nmodels:\n  - name: c\n    columns:\n      - name: id\n        data_tests:\n          - in_a\n          - relationships:\n              to: \"ref(var('target_model', 'a'))\"\n              field: id\n",
    });
    const r = await build({ projectDir: dir, profilesDir: dir });
    expect(r.results.filter((x) => x.status !== 'success' && x.status !== 'pass').map((x) => `${x.uniqueId} ${x.message ?? ''}`)).toEqual([]);
    expect(r.exitCode).toBe(0);
    // The ref in the test macro's body is a dependency of the test, as dbt's parse records it.
    const manifest = JSON.parse((await import('node:fs')).readFileSync(join(dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { resource_type: string; test_metadata?: { name: string }; depends_on: { nodes: string[] } }> };
    const inA = Object.values(manifest.nodes).find((n) => n.test_metadata?.name === 'in_a');
    expect(inA?.depends_on.nodes.sort()).toEqual(['model.p.a', 'model.p.c']);
  });
  it("records a hook's refs as dependencies, as dbt's parse does: the hook's table is built first", async () => {
    const dir = project({
      'models/a.sql': 'select 1 as id',
      // With one thread and no edge, b (alphabetically first) would run before z_audit exists.
      'models/z_audit.sql': "{{ config(materialized='table') }} select cast(null as varchar) as model where false",
      'models/b.sql': "{{ config(materialized='table', post_hook=\"insert into {{ ref('z_audit') }} values ('b')\") }} select * from {{ ref('a') }}",
    });
    const r = await build({ projectDir: dir, profilesDir: dir, threads: 1 });
    expect(r.exitCode).toBe(0);
    const manifest = JSON.parse((await import('node:fs')).readFileSync(join(dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { depends_on: { nodes: string[] } }> };
    expect(manifest.nodes['model.p.b']!.depends_on.nodes.sort()).toEqual(['model.p.a', 'model.p.z_audit']);
    expect(await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select model from main.z_audit')).toEqual([{ model: 'b' }]);
  });
  it('ignores a folder-wide hook\'s ref to the node itself (no cycle)', async () => {
    const dir = project({
      'project.yml': "name: p\nprofile: p\nmodels:\n  p:\n    +post-hook: \"insert into {{ ref('audit') }} values ('{{ this.name }}')\"\n    audit:\n      +materialized: table\n",
      'models/audit.sql': 'select cast(null as varchar) as model where false',
      'models/a.sql': "{{ config(materialized='table') }} select 1 as id",
    });
    const r = await build({ projectDir: dir, profilesDir: dir, threads: 1 });
    expect(r.exitCode).toBe(0);
    expect(await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select model from main.audit order by model')).toEqual([{ model: 'a' }, { model: 'audit' }]);
  });
});
