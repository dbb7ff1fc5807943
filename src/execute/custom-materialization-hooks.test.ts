/**
 * Hooks of a model built by a project's `{% materialization %}` block (DuckDB): `transaction: false` ones run
 * outside the block's transaction, before it begins and after the block commits, as dbt's; one in the
 * transaction that DuckDB refuses there is a typed diagnostic naming where the hook is written.
 */
import { describe, it, expect } from 'vitest';
import { build } from '../api/index.js';
import { PROJECT_YML } from '../test-support/fixture-project.js';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';

const project = duckDbProjectsRemovedAfterAll();
const opts = (dir: string, vars: Record<string, unknown> = {}) => ({ projectDir: dir, profilesDir: dir, vars: JSON.stringify(vars) });

/** dbt's shape of a table materialization: outside pre-hooks, the build, inside hooks, commit, outside post-hooks. */
const KILN = `{% materialization kiln, default %}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set intermediate = make_intermediate_relation(target_relation) -%}
  {{ drop_relation_if_exists(intermediate) }}
  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}
  {% call statement('main') -%}
    {{ get_create_table_as_sql(False, intermediate, sql) }}
  {%- endcall %}
  {{ drop_relation_if_exists(target_relation) }}
  {% do adapter.rename_relation(intermediate, target_relation) %}
  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {% do adapter.commit() %}
  {{ run_hooks(post_hooks, inside_transaction=False) }}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
`;

const LEDGER = PROJECT_YML('p', 'on-run-start:\n  - "create table if not exists main.ledger (what varchar)"\n');

describe("a custom materialization's hooks (DuckDB)", () => {
  it('runs before_begin before the transaction and after_commit after it: a checkpoint runs, an outside row stays when the build fails', async () => {
    const f = project({
      'project.yml': LEDGER,
      'macros/kiln.sql': KILN,
      'models/pots.sql': `{{ config(materialized='kiln',
          pre_hook=before_begin("insert into main.ledger values ('before {{ var('v', 1) }}')"),
          post_hook=[after_commit('checkpoint'), "insert into main.ledger values ('inside {{ var('v', 1) }}')"]) }}
        select {{ var('v', 1) }} as v, {{ var('divisor', 1) }} / 1 as d`,
    });
    const first = await build(opts(f.dir));
    expect(first.exitCode, JSON.stringify(first.results.map((r) => r.message))).toBe(0);
    expect(await f.q('select what from main.ledger order by what')).toEqual([{ what: 'before 1' }, { what: 'inside 1' }]);
    // The build fails (a division by a string): the inside hooks and the table roll back, the outside pre-hook's row stays.
    const failed = await build(opts(f.dir, { v: 2, divisor: "'x'" }));
    expect(failed.exitCode).toBe(1);
    expect(await f.q('select what from main.ledger order by what')).toEqual([{ what: 'before 1' }, { what: 'before 2' }, { what: 'inside 1' }]);
    expect(await f.q('select v::int as v from main.pots')).toEqual([{ v: 1 }]);
  });

  it("run_query opens no transaction, as dbt's (statement with auto_begin=False): its write before the block's statements stays when the build fails", async () => {
    const f = project({
      'project.yml': LEDGER,
      'macros/logged.sql': `{% materialization logged, default %}
  {% do run_query("insert into main.ledger values ('attempt')") %}
  {% call statement('main') -%}
    create or replace table {{ this }} as ({{ sql }})
  {%- endcall %}
  {% do adapter.commit() %}
  {{ return({'relations': [this.incorporate(type='table')]}) }}
{% endmaterialization %}
`,
      'models/audited.sql': "{{ config(materialized='logged') }} select {{ var('v', 1) }} / 1 as v",
    });
    expect((await build(opts(f.dir))).exitCode).toBe(0);
    expect((await build(opts(f.dir, { v: "'x'" }))).exitCode).toBe(1);
    expect(await f.q('select count(*)::int as n from main.ledger')).toEqual([{ n: 2 }]);
    expect(await f.q('select v::int as v from main.audited')).toEqual([{ v: 1 }]);
  });

  it('refuses a checkpoint in the transaction with hook-needs-no-transaction, leaving the previous table', async () => {
    const f = project({
      'project.yml': LEDGER,
      'macros/kiln.sql': KILN,
      'models/pots.sql': "{{ config(materialized='kiln', post_hook=[after_commit('select 1'), \"{{ 'checkpoint' if var('hooked', false) else 'select 2' }}\"]) }} select {{ var('v', 1) }} as v",
    });
    expect((await build(opts(f.dir))).exitCode).toBe(0);
    const failed = await build(opts(f.dir, { hooked: true, v: 2 }));
    expect(failed.exitCode).toBe(1);
    const message = failed.results.find((r) => r.uniqueId === 'model.p.pots')?.message ?? '';
    expect(message).toContain('[hook-needs-no-transaction]');
    // Counted in the model's whole list of post-hooks, as the user wrote it.
    expect(message).toContain("post-hook 2 runs 'checkpoint'");
    expect(message).toContain('after_commit("checkpoint")');
    expect(message).not.toContain('TransactionContext');
    expect(await f.q('select v::int as v from main.pots')).toEqual([{ v: 1 }]);
  });
});

describe('a hook diagnostic names where the hook is written', () => {
  it("the project file's line for a folder's +post-hook, the model file's for its own", async () => {
    const f = project({
      'project.yml': PROJECT_YML('p', 'models:\n  p:\n    +post-hook:\n      - "select 1"\n      - "checkpoint"\n'),
      'models/jars.sql': "{{ config(materialized='table') }} select 1 as v",
      'models/lids.sql': "{{ config(materialized='table',\n    pre_hook=[before_begin('select 3'),\n      'force checkpoint']) }}\nselect 1 as v",
    });
    const r = await build(opts(f.dir));
    expect(r.exitCode).toBe(1);
    const message = (id: string): string => r.results.find((x) => x.uniqueId === id)?.message ?? '';
    // project.yml: name, profile, then models: p: +post-hook: and its two entries, the second on line 7.
    expect(message('model.p.jars')).toMatch(/^project\.yml:7: error \[hook-needs-no-transaction\] model 'jars': post-hook 2 \(set in project\.yml:7\) runs 'checkpoint'/);
    expect(message('model.p.lids')).toMatch(/^models\/lids\.sql:3: error \[hook-needs-no-transaction\] model 'lids': pre-hook 2 runs 'force checkpoint'/);
  });
});
