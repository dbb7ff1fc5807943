/** dbt's `sql_header` (`{% call set_sql_header(config) %}`): statements run before the node's own, in `build` and `show`. */
import { describe, it, expect } from 'vitest';
import { build, show } from '../api/index.js';
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
});
