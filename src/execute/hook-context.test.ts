/** What dbt's hooks and configs see of their context: `thread_id`, `schema`, and the hook mistakes dbt refuses. */
import { describe, it, expect } from 'vitest';
import { build, parse } from '../api/index.js';
import { PROJECT_YML } from '../test-support/fixture-project.js';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';

const project = duckDbProjectsRemovedAfterAll();
const opts = (dir: string) => ({ projectDir: dir, profilesDir: dir });

describe('hook context', () => {
  it("a model's hooks see the thread running it; on-run-start and on-run-end hooks see the main thread", async () => {
    const f = project({
      'project.yml': PROJECT_YML('p', `on-run-start:\n  - "create table main.threads (who varchar, thread varchar)"\n  - "insert into main.threads values ('run start', '{{ thread_id }}')"\non-run-end:\n  - "insert into main.threads values ('run end', '{{ thread_id }}')"\nmodels:\n  p:\n    +pre-hook: "insert into main.threads values ('{{ this.name }} pre', '{{ thread_id }}')"\n    +post-hook: "insert into main.threads values ('{{ this.name }} post', '{{ thread_id }}')"\n`),
      'models/orders.sql': 'select 1 as order_id',
    });
    const r = await build(opts(f.dir));
    expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(0);
    expect(await f.q('select who, thread from main.threads order by who')).toEqual([
      { who: 'orders post', thread: 'Thread-1' },
      { who: 'orders pre', thread: 'Thread-1' },
      { who: 'run end', thread: 'MainThread' },
      { who: 'run start', thread: 'MainThread' },
    ]);
  });

  it("`schema` and `database` are the target's, as in dbt's context (a snapshot's target_schema=schema)", async () => {
    const f = project({
      'models/accounts.sql': "select 1 as account_id, 'open' as state",
      'snapshots/accounts_history.sql': "{% snapshot accounts_history %}\n{{ config(target_schema=schema, unique_key='account_id', strategy='check', check_cols='all') }}\nselect * from {{ ref('accounts') }}\n{% endsnapshot %}\n",
      'models/where_am_i.sql': "select '{{ database }}' as db, '{{ schema }}' as sch",
    });
    const r = await build(opts(f.dir));
    expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(0);
    expect(await f.q('select db, sch from main.where_am_i')).toEqual([{ db: 'test', sch: 'main' }]);
    expect(await f.q('select account_id::int as id from main.accounts_history')).toEqual([{ id: 1 }]);
  });

  it("a seed's hook that calls ref() is refused at parse, as dbt refuses it (a seed depends on nothing)", async () => {
    const f = project({
      'project.yml': PROJECT_YML('p', `seeds:\n  p:\n    +post-hook: "insert into main.audit select * from {{ ref('audit_rows') }}"\n`),
      'seeds/regions.csv': 'region_id,name\n1,north\n',
      'models/audit_rows.sql': "select 'x' as what",
    });
    const r = await parse(opts(f.dir));
    expect(r.exitCode).toBe(2);
    // Pointed at the project file's line where the hook is written, not at the CSV.
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: 'seed-hook-dependency', file: 'project.yml', line: 5, message: expect.stringContaining('Seeds cannot depend on other nodes') }));
  });

  it("a seed's hook that calls ref() in its property file is reported there", async () => {
    const f = project({
      'seeds/regions.csv': 'region_id,name\n1,north\n',
      'seeds/seeds.yml': "version: 2\nseeds:\n  - name: regions\n    config:\n      post_hook: \"select * from {{ ref('audit_rows') }}\"\n",
      'models/audit_rows.sql': "select 'x' as what",
    });
    const r = await parse(opts(f.dir));
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: 'seed-hook-dependency', file: 'seeds/seeds.yml', line: 3 }));
  });

  it('a config() call giving pre_hook and pre-hook both is refused, naming both', async () => {
    const f = project({ 'models/orders.sql': `{{ config({"pre_hook": "select 1", "pre-hook": "select 2"}) }}\nselect 1 as order_id` });
    const r = await build(opts(f.dir));
    expect(r.exitCode).toBe(2);
    const d = r.diagnostics.find((x) => x.code === 'config-invalid');
    expect(d?.message).toContain('pre_hook');
    expect(d?.message).toContain('pre-hook');
    expect(d?.file).toBe('models/orders.sql');
  });
});
