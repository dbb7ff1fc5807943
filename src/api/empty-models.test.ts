/** A model file of only whitespace is left out of run and build, as dbt leaves empty nodes out; `ls` still lists it. */
import { describe, it, expect } from 'vitest';
import { build, list, run } from './index.js';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';

const project = duckDbProjectsRemovedAfterAll();

describe('empty models', () => {
  it('are not run or built, and make no relation', async () => {
    const p = project({ 'models/blank.sql': '\n  \n', 'models/kept.sql': 'select 1 as id\n' });
    const r = await run({ projectDir: p.dir, profilesDir: p.dir });
    expect(r.exitCode).toBe(0);
    expect(r.results.map((x) => x.uniqueId)).toEqual(['model.p.kept']);
    expect((await build({ projectDir: p.dir, profilesDir: p.dir })).results.map((x) => x.uniqueId)).toEqual(['model.p.kept']);
    expect(await p.q("select table_name from information_schema.tables where table_schema = 'main' order by 1")).toEqual([{ table_name: 'kept' }]);
    const listed = await list({ projectDir: p.dir, profilesDir: p.dir });
    expect(JSON.stringify(listed)).toContain('blank');
  });
});
