/** `strata show`: previews rows of a model, an ephemeral model or an inline query; builds nothing. */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { run, seed, show } from './index.js';
import { previewTable } from '../cli/commands/show-command.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

describe('show', () => {
  it('previews a model through its ephemeral parents and an inline query, limited, without building anything', async () => {
    const dir = writeProject({
      'seeds/raw.csv': 'id,name\n1,a\n2,b\n3,c\n',
      'models/e.sql': "{{ config(materialized='ephemeral') }} select id, upper(name) as name from {{ ref('raw') }}",
      'models/m.sql': "{{ config(materialized='table') }} select * from {{ ref('e') }} order by id",
    });
    dirs.push(dir);
    await seed({ projectDir: dir, profilesDir: dir });
    const out = await show({ projectDir: dir, profilesDir: dir, select: ['m'], limit: 2 });
    expect(out.exitCode).toBe(0);
    expect(out.previews).toMatchObject([{ node: 'm', rows: [{ id: 1, name: 'A' }, { id: 2, name: 'B' }] }]);
    expect(previewTable(out.previews[0]!)).toBe('| id  | name |\n| --- | ---- |\n|   1 | A    |\n|   2 | B    |');

    const inline = await show({ projectDir: dir, profilesDir: dir, inline: "select count(*) as n from {{ ref('e') }}" });
    expect(inline.previews).toMatchObject([{ node: 'inline_query', rows: [{ n: 3 }] }]);
    // Nothing was built: m was only previewed.
    const tables = await show({ projectDir: dir, profilesDir: dir, inline: "select count(*) as n from information_schema.tables where table_name = 'm'" });
    expect(tables.previews[0]!.rows).toEqual([{ n: 0 }]);
    expect(existsSync(join(dir, 'target', 'compiled', 'p', 'models', 'm.sql'))).toBe(false);

    const bad = await show({ projectDir: dir, profilesDir: dir, inline: "select * from {{ ref('nope') }}" });
    // A project or usage error in the query is exit 2, as compile --inline says; a query the warehouse refuses, 1.
    expect(bad.exitCode).toBe(2);
    expect(bad.diagnostics[0]).toMatchObject({ code: 'ref-not-found', file: '--inline', line: 1 });
    const broken = await show({ projectDir: dir, profilesDir: dir, inline: 'select {% if %} 1' });
    expect(broken.exitCode).toBe(2);
    expect(broken.diagnostics.find((d) => d.severity === 'error')).toMatchObject({ code: 'jinja-syntax-error', file: '--inline' });
    const refused = await show({ projectDir: dir, profilesDir: dir, inline: 'select * from no_such_table' });
    expect(refused.exitCode).toBe(1);
    expect(refused.diagnostics.find((d) => d.severity === 'error')).toMatchObject({ code: 'show-failed' });
    expect((await show({ projectDir: dir, profilesDir: dir })).exitCode).toBe(2);
  });
});

describe('show: where a failed query points', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeProject));
  it("names the line of the model or --inline text, not of the query around it, and keeps DuckDB's hint", async () => {
    const dir = writeProject({ 'models/base.sql': 'select 1 as id', 'models/bad.sql': "select 1 as a,\n  idd\nfrom {{ ref('base') }}\n" });
    dirs.push(dir);
    expect((await run({ projectDir: dir, profilesDir: dir, select: ['base'] })).exitCode).toBe(0);
    const model = await show({ projectDir: dir, profilesDir: dir, select: ['bad'] });
    expect(model.diagnostics.find((d) => d.code === 'show-failed')).toMatchObject({ file: 'models/bad.sql', line: 2, column: 3, message: expect.stringContaining('Candidate bindings: "id"') });
    const inline = await show({ projectDir: dir, profilesDir: dir, inline: "select idd from {{ ref('base') }}" });
    const d = inline.diagnostics.find((x) => x.code === 'show-failed')!;
    expect(d).toMatchObject({ line: 1, column: 8 });
    expect(d.message).not.toMatch(/LINE \d+:/);
  });
});
