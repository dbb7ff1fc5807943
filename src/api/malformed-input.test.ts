/** Malformed input (issue 20, item 5): the crashes and silent acceptances found by a hostile user, each a located error. */
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DUCKDB_PROFILE, PROJECT_YML } from '../test-support/fixture-project.js';
import { projectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build, seed } from './index.js';

const written = projectsRemovedAfterAll();
const project = (files: Record<string, string>): string => written({ 'models/a.sql': 'select 1 as id', 'seeds/s.csv': 'id,name\n1,a\n', ...files });
const profile = (settings: string): string => `p:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n${settings}`;
/** Files a failed command must not have created: any database file anywhere in the project. */
const databases = (d: string): string[] => readdirSync(d, { recursive: true }).map(String).filter((f) => /\.duckdb|\{\{/.test(f));

const cases: [string, Record<string, string>, string, RegExp][] = [
  ['models: nope', { 'project.yml': PROJECT_YML('p', 'models: nope\n') }, 'project.yml', /models must be a mapping/],
  ['models: [a]', { 'project.yml': PROJECT_YML('p', 'models: [a]\n') }, 'project.yml', /models must be a mapping, not a list/],
  ['+materialized: [table]', { 'project.yml': PROJECT_YML('p', 'models:\n  p:\n    +materialized: [table]\n') }, 'project.yml', /models\.p\.\+materialized must be text/],
  ["+enabled: 'maybe'", { 'project.yml': PROJECT_YML('p', "models:\n  p:\n    +enabled: 'maybe'\n") }, 'project.yml', /must be true or false/],
  ['profile: 3', { 'project.yml': 'name: p\nprofile: 3\n' }, 'project.yml', /profile must be text/],
  ['a merge key of an unknown alias', { 'project.yml': PROJECT_YML('p', 'vars:\n  x:\n    <<: *nope\n') }, 'project.yml', /invalid YAML/],
  ['an alias bomb', { 'project.yml': PROJECT_YML('p', `vars:\n  a: &a [${Array(10).fill('"lol"').join(',')}]\n${'bcdefghi'.split('').map((c, i) => `  ${c}: &${c} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(',')}]`).join('\n')}\n`) }, 'project.yml', /aliases expand to more than/],
  ['a profile path that is a folder', { 'profiles.yml': profile('      path: models\n') }, 'profiles.yml', /is a folder/],
  ["a profile path ''", { 'profiles.yml': profile("      path: ''\n") }, 'profiles.yml', /path is empty/],
  ['a profile path with broken Jinja', { 'profiles.yml': profile('      path: "{{ env_var( }}"\n') }, 'profiles.yml', /template expression/],
  ['a profile path naming a .parquet file', { 'profiles.yml': profile('      path: data.parquet\n') }, 'profiles.yml', /data file/],
  ['invalid DuckDB settings', { 'profiles.yml': profile('      path: target/test.duckdb\n      settings:\n        no_such_setting: 3\n') }, 'profiles.yml', /settings .*refused/],
];

describe('malformed projects', () => {
  it.each(cases)('%s: exit 2, a located diagnostic, nothing written', async (_name, files, file, message) => {
    const d = project(files);
    const started = Date.now();
    const r = await build({ projectDir: d, profilesDir: d });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(2);
    const e = r.diagnostics.find((x) => x.severity === 'error')!;
    expect(e.message).toMatch(message);
    expect(e.file).toContain(file);
    if (file === 'project.yml') expect(e.line).toBeGreaterThan(0);
    expect(JSON.stringify(r.diagnostics)).not.toMatch(/TypeError|undefined|\n\s+at /);
    expect(databases(d)).toEqual([]);
  });

  it('a target path under /proc is an error, not an endless loop', async () => {
    const d = project({});
    const r = await build({ projectDir: d, profilesDir: d, targetPath: '/proc/strata-nowhere/target' });
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics[0]).toMatchObject({ code: 'target-path-invalid', file: '--target-path' });
  });

  it('a target path that is a file fails before any warehouse write', async () => {
    const d = project({ 'profiles.yml': DUCKDB_PROFILE('p').replace('target/test.duckdb', 'wh.duckdb'), 'project.yml': PROJECT_YML('p', 'target-path: out\n') });
    writeFileSync(join(d, 'out'), 'a file');
    const r = await build({ projectDir: d, profilesDir: d });
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics[0]).toMatchObject({ code: 'target-path-invalid', file: 'project.yml' });
    expect(existsSync(join(d, 'wh.duckdb'))).toBe(false);
  });
});

describe('bad seed files', () => {
  it.each([
    ['ragged', 'id,name\n1,a\n2,b,extra,fields\n', 3, /line 3 has 4 fields, the header 2/],
    ['empty', '', 1, /empty/],
    ['an unclosed quote', 'id,name\n1,"a\n', 2, /never closed/],
  ])('a %s seed is an error naming the file and line; the previous table stays', async (_name, text, line, message) => {
    const d = project({});
    expect((await seed({ projectDir: d, profilesDir: d })).exitCode).toBe(0);
    writeFileSync(join(d, 'seeds', 's.csv'), text);
    const r = await seed({ projectDir: d, profilesDir: d });
    expect(r.exitCode).toBe(1);
    const failed = r.results.find((x) => x.uniqueId === 'seed.p.s');
    expect(failed?.status).toBe('error');
    expect(failed?.message).toMatch(message);
    expect(failed?.message).toContain(`seeds/s.csv:${line}`);
    expect(await queryDuckDb(join(d, 'target', 'test.duckdb'), 'select id::int as id, name from main.s')).toEqual([{ id: 1, name: 'a' }]);
  });
});
