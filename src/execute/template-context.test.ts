/** dbt's `graph` and `selected_resources` in models and hooks, as a run sees them. */
import { describe, it, expect, afterAll } from 'vitest';
import { join } from 'node:path';
import { writeProject, removeProject, PROJECT_YML } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build, compile } from '../api/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

describe('graph and selected_resources', () => {
  it('lists the project nodes with their manifest fields, and the selection, in models and hooks', async () => {
    const dir = writeProject({
      'project.yml': PROJECT_YML('p', 'on-run-start:\n  - "create table main.hook_saw as select {{ selected_resources | length }} as selected, \'{{ selected_resources | join(\',\') }}\' as ids"\n'),
      'models/a.sql': "{{ config(tags=['nightly']) }} select 1 as id",
      'models/b.sql': "{{ config(tags=['nightly'], materialized='table') }} select 2 as id",
      'models/c.sql': [
        "{{ config(materialized='table') }}",
        "{% set names = [] %}{% if execute %}{% for n in graph.nodes.values() if n.resource_type == 'model' and 'nightly' in n.tags %}{% do names.append(n.name ~ ':' ~ n.config.materialized) %}{% endfor %}{% endif %}",
        "select '{{ names | sort | join(\",\") }}' as nightly, {{ selected_resources | length }} as selected, '{{ graph.nodes['model.p.b'].relation_name if execute }}' as b_relation",
      ].join('\n'),
    });
    dirs.push(dir);
    const r = await build({ projectDir: dir, profilesDir: dir, select: ['c'] });
    expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(0);
    const db = join(dir, 'target', 'test.duckdb');
    expect(await queryDuckDb(db, 'select nightly, selected::int as selected, b_relation from main.c')).toEqual([{ nightly: 'a:view,b:table', selected: 1, b_relation: '"test"."main"."b"' }]);
    expect(await queryDuckDb(db, 'select selected::int as selected, ids from main.hook_saw')).toEqual([{ selected: 1, ids: 'model.p.c' }]);

    // While parsing and without execute, graph is empty, as in dbt.
    const offline = await compile({ projectDir: dir, profilesDir: dir, offline: true, select: ['c'] });
    expect(offline.compiled.get('model.p.c')).toContain("select '' as nightly, 1 as selected, '' as b_relation");
  });
});
