/**
 * Snapshot configs as dbt's adapter suites write them: `target_schema=schema` (dbt's `schema` and `database`
 * context members) and a unique_key that is an expression, not a column.
 */
import { describe, it, expect } from 'vitest';
import { seed, snapshot } from '../api/index.js';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';

const project = duckDbProjectsRemovedAfterAll();

describe('snapshot configs from dbt projects', () => {
  it("target_schema=schema and target_database=database put the snapshot in the target's schema", async () => {
    const p = project({
      'seeds/pets.csv': 'id,kind\n1,cat\n',
      'snapshots/pets_history.sql': "{% snapshot pets_history %}\n{{ config(target_database=database, target_schema=schema, unique_key='id', strategy='check', check_cols='all') }}\nselect * from {{ ref('pets') }}\n{% endsnapshot %}\n",
    });
    expect((await seed({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    const r = await snapshot({ projectDir: p.dir, profilesDir: p.dir });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(await p.q('select id::int as id, kind from main.pets_history')).toEqual([{ id: 1, kind: 'cat' }]);
  });

  it("a unique_key expression (id || '-' || name) keys the versions, as dbt uses it unquoted", async () => {
    const p = project({
      'seeds/pets.csv': 'id,name,kind\n1,tom,cat\n1,rex,dog\n',
      'snapshots/pets_history.sql': "{% snapshot pets_history %}\n{{ config(target_schema='main', unique_key=\"id || '-' || name\", strategy='check', check_cols=['kind']) }}\nselect * from {{ ref('pets') }}\n{% endsnapshot %}\n",
    });
    expect((await seed({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    expect((await snapshot({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    p.write('seeds/pets.csv', 'id,name,kind\n1,tom,cat\n1,rex,wolf\n');
    expect((await seed({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    const second = await snapshot({ projectDir: p.dir, profilesDir: p.dir });
    expect(second.exitCode).toBe(0);
    // Only rex changed: his dog version is closed, his wolf version current; tom keeps his one row.
    expect(await p.q('select name, kind, dbt_valid_to is null as current from main.pets_history order by name, dbt_valid_from')).toEqual([
      { name: 'rex', kind: 'dog', current: false },
      { name: 'rex', kind: 'wolf', current: true },
      { name: 'tom', kind: 'cat', current: true },
    ]);
  });

  it('snapshot_meta_column_names renames the meta columns run after run; a table with other names is reported', async () => {
    const config = (names: string): string => `{% snapshot pets_history %}\n{{ config(target_schema='main', unique_key='id', strategy='check', check_cols=['kind'], snapshot_meta_column_names=${names}) }}\nselect * from {{ ref('pets') }}\n{% endsnapshot %}\n`;
    const p = project({ 'seeds/pets.csv': 'id,kind\n1,cat\n2,dog\n', 'snapshots/pets_history.sql': config("{'dbt_valid_to': 'valid_until', 'dbt_valid_from': 'valid_since', 'dbt_scd_id': 'version_id', 'dbt_updated_at': 'seen_at'}") });
    expect((await seed({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    expect((await snapshot({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    p.write('seeds/pets.csv', 'id,kind\n1,cat\n2,wolf\n');
    expect((await seed({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    expect((await snapshot({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    expect(await p.q('select id::int as id, kind, valid_until is null as current, length(version_id)::int as h, seen_at = valid_since as same from main.pets_history order by id, valid_since')).toEqual([
      { id: 1, kind: 'cat', current: true, h: 32, same: true },
      { id: 2, kind: 'dog', current: false, h: 32, same: true },
      { id: 2, kind: 'wolf', current: true, h: 32, same: true },
    ]);
    expect((await p.q("select count(*)::int as n from information_schema.columns where table_name = 'pets_history' and column_name like 'dbt_%'"))).toEqual([{ n: 0 }]);
    // dbt_valid_from back to its default name: the table has no such column.
    p.write('snapshots/pets_history.sql', config("{'dbt_valid_to': 'valid_until', 'dbt_scd_id': 'version_id', 'dbt_updated_at': 'seen_at'}"));
    const changed = await snapshot({ projectDir: p.dir, profilesDir: p.dir });
    expect(changed.exitCode).toBe(1);
    // dbt's wording, which its adapter suite looks for (BaseSnapshotInvalidColumnNames).
    expect(changed.results[0]!.message).toContain('Compilation Error in snapshot pets_history: Snapshot target is missing configured columns (missing "dbt_valid_from")');
  });
});
