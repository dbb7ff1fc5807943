/** dbt's `sql_header` (`{% call set_sql_header(config) %}`): statements run before the node's own, in `build` and `show`. */
import { describe, it, expect } from 'vitest';
import { build, show } from '../api/index.js';
import { PROJECT_YML } from '../test-support/fixture-project.js';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';

const project = duckDbProjectsRemovedAfterAll();
// Each model its own macro: two headers replacing one macro at once conflict on DuckDB, as they would under dbt.
const header = (name: string): string => `{% call set_sql_header(config) %}\ncreate or replace macro ${name}(x) as x * 2;\n{%- endcall %}\n`;

describe('sql_header', () => {
  it('runs before a table or a view is created, so the model can use what it defines', async () => {
    const f = project({
      'models/answer_table.sql': `{{ config(materialized='table') }}\n${header('doubled_t')}select doubled_t(21) as answer`,
      'models/answer_view.sql': `${header('doubled_v')}select doubled_v(4) as answer`,
    });
    const r = await build({ projectDir: f.dir, profilesDir: f.dir });
    expect(r.exitCode, JSON.stringify(r.results.map((x) => x.message))).toBe(0);
    expect(await f.q('select answer::int as answer from main.answer_table')).toEqual([{ answer: 42 }]);
    expect(await f.q('select answer::int as answer from main.answer_view')).toEqual([{ answer: 8 }]);
  });

  it('comes before the query `show` runs, as dbt puts it', async () => {
    const f = project({ 'models/with_header.sql': '{% call set_sql_header(config) %}\nwith constants as (select 7 as lucky)\n{%- endcall %}\nselect lucky from constants' });
    const r = await show({ projectDir: f.dir, profilesDir: f.dir, select: ['with_header'] });
    expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(0);
    expect(r.previews[0]!.rows).toEqual([{ lucky: 7 }]);
  });

  it("comes before an incremental model's staging table too, so its second run sees what the header sets", async () => {
    const model = `{{ config(materialized='incremental', sql_header="set variable step_size = 10;") }}\nselect {% if is_incremental() %}2{% else %}1{% endif %} as id, getvariable('step_size') * id as scaled`;
    const f = project({ 'models/steps.sql': model });
    for (let run = 0; run < 2; run++) {
      const r = await build({ projectDir: f.dir, profilesDir: f.dir });
      expect(r.exitCode, JSON.stringify(r.results.map((x) => x.message))).toBe(0);
    }
    expect(await f.q('select id::int as id, scaled::int as scaled from main.steps order by id')).toEqual([{ id: 1, scaled: 10 }, { id: 2, scaled: 20 }]);
  });

  it("comes before a snapshot's column probe and staging table on its second run", async () => {
    const f = project({
      'snapshots/kept.sql': `{% snapshot kept %}\n{{ config(strategy='check', unique_key='id', check_cols='all', target_schema='main', sql_header="create or replace temp macro plus_one(x) as x + 1;") }}\nselect 1 as id, plus_one({{ var('v', 1) }}) as v\n{% endsnapshot %}`,
    });
    const first = await build({ projectDir: f.dir, profilesDir: f.dir });
    expect(first.exitCode, JSON.stringify(first.results.map((x) => x.message))).toBe(0);
    const second = await build({ projectDir: f.dir, profilesDir: f.dir, vars: { v: 5 } });
    expect(second.exitCode, JSON.stringify(second.results.map((x) => x.message))).toBe(0);
    expect(await f.q('select v::int as v from main.kept order by v')).toEqual([{ v: 2 }, { v: 6 }]);
  });

  it("comes before an enforced contract's column check, as dbt's get_column_schema_from_query", async () => {
    const f = project({
      'models/twice_model.sql': `{{ config(materialized='table', sql_header="create or replace temp macro twice(x) as x * 2;") }}\nselect twice(21)::integer as id`,
      'models/schema.yml': 'version: 2\nmodels:\n  - name: twice_model\n    config:\n      contract: {enforced: true}\n    columns:\n      - name: id\n        data_type: integer\n',
    });
    const r = await build({ projectDir: f.dir, profilesDir: f.dir });
    expect(r.exitCode, JSON.stringify(r.results.map((x) => x.message))).toBe(0);
    expect(await f.q('select id from main.twice_model')).toEqual([{ id: 42 }]);
  });

  it("comes before a quarantined model's staging table", async () => {
    const f = project({
      'models/checked.sql': `{{ config(materialized='table', sql_header="create or replace temp macro halve(x) as x / 2;") }}\nselect * from (values (1, halve(8)), (null, halve(2))) as t(id, half)`,
      'models/schema.yml': 'version: 2\nmodels:\n  - name: checked\n    config: {quarantine: true}\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
    });
    const r = await build({ projectDir: f.dir, profilesDir: f.dir, select: ['checked'] });
    expect(r.results.find((x) => x.uniqueId === 'model.p.checked')?.status, JSON.stringify(r.results.map((x) => x.message))).toBe('success');
    expect(await f.q('select id::int as id, half::int as half from main.checked')).toEqual([{ id: 1, half: 4 }]);
  });

  it('is rendered in the run context when it comes from project YAML with Jinja', async () => {
    const f = project({
      'project.yml': PROJECT_YML('p', `models:\n  p:\n    +materialized: table\n    +sql_header: "set variable built_in = '{{ target.name }}/{{ this.identifier }}';"\n`),
      'models/where_built.sql': "select getvariable('built_in') as t",
    });
    const r = await build({ projectDir: f.dir, profilesDir: f.dir });
    expect(r.exitCode, JSON.stringify(r.results.map((x) => x.message))).toBe(0);
    expect(await f.q('select t from main.where_built')).toEqual([{ t: 'dev/where_built' }]);
    const shown = await show({ projectDir: f.dir, profilesDir: f.dir, select: ['where_built'] });
    expect(shown.previews[0]!.rows).toEqual([{ t: 'dev/where_built' }]);
  });
});
