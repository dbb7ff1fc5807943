/** `column:` on a fixture project: what it selects without a catalog, and the warning when a model below cannot be traced. */
import { describe, it, expect, afterAll } from 'vitest';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { list } from './index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

describe('column: selection', () => {
  it('follows a seed column through select * without a catalog, and names the model it cannot see through', async () => {
    const dir = writeProject({
      'seeds/raw.csv': 'id,name,email\n1,a,x@y\n',
      'models/stg.sql': "select * exclude (email) from {{ ref('raw') }}",
      'models/names.sql': "select id, upper(name) as name_upper from {{ ref('stg') }}",
      'models/ids.sql': "select id from {{ ref('stg') }} where name is not null",
      // DuckDB's statement-level PIVOT: DuckDB runs it, the SQL parser cannot read it.
      'models/pivoted.sql': "pivot {{ ref('stg') }} on name using count(*)",
    });
    dirs.push(dir);
    const ls = (select: string) => list({ projectDir: dir, profilesDir: dir, select: [select], resourceTypes: ['model'], output: 'name' });
    const byName = await ls('column:raw.name+');
    expect(byName.exitCode).toBe(0);
    // names derives from it, ids filters on it; pivoted reads it too but cannot be traced: not guessed, warned.
    expect(byName.lines.sort()).toEqual(['ids', 'names', 'stg']);
    const warning = byName.diagnostics.find((d) => d.code === 'lineage-incomplete');
    expect(warning?.message).toContain('model.p.pivoted is untraced (the duckdb SQL parser cannot read the compiled SQL');
    expect(warning?.file).toBe('models/pivoted.sql');
    // email is excluded by stg: nothing below derives from it.
    expect((await ls('column:raw.email+')).lines).toEqual([]);
    const missing = await ls('column:stg.email+');
    expect(missing.exitCode).toBe(2);
    expect(missing.diagnostics.at(-1)!.message).toContain("stg has no column 'email' that lineage knows");
  });
});
