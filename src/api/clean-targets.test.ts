/** `strata clean` checks every clean-targets entry before it deletes anything (audit of session 25, finding 3). */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject, DUCKDB_PROFILE, PROJECT_YML } from '../test-support/fixture-project.js';
import { clean } from './index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

/** A project with a target/ folder already written, and the clean-targets given. */
function project(cleanTargets: string[], files: Record<string, string> = {}, projectFile = 'project.yml', extra = ''): string {
  const list = `clean-targets:\n${cleanTargets.map((t) => `  - ${JSON.stringify(t)}\n`).join('')}`;
  const dir = writeProject({ [projectFile]: PROJECT_YML('p', `${extra}${list}`), 'profiles.yml': DUCKDB_PROFILE(), 'models/orders.sql': 'select 1 as id', 'seeds/rates.csv': 'id\n1\n', 'target/run_results.json': '{}', ...files }, false);
  dirs.push(dir);
  return dir;
}

const run = (dir: string): ReturnType<typeof clean> => clean({ projectDir: dir, profilesDir: dir });
const refusals = (r: Awaited<ReturnType<typeof clean>>): unknown[] => r.diagnostics.filter((d) => d.severity === 'error').map(({ code, message, file, line }) => ({ code, message, file, line }));

describe('strata clean: which clean-targets entries it refuses', () => {
  it('refuses source paths, as dbt does, at their line of dbt_project.yml, and deletes nothing at all', async () => {
    const dir = project(['target', 'models', 'seeds'], {}, 'dbt_project.yml');
    const r = await run(dir);
    expect(r.exitCode).toBe(2);
    expect(r.removed).toEqual([]);
    expect(refusals(r)).toEqual([
      { code: 'clean-target-refused', message: "clean-targets entry 'models' is a source path (model-paths: models): strata will not clean it, and cleaned nothing", file: 'dbt_project.yml', line: 5 },
      { code: 'clean-target-refused', message: "clean-targets entry 'seeds' is a source path (seed-paths: seeds): strata will not clean it, and cleaned nothing", file: 'dbt_project.yml', line: 6 },
    ]);
    expect(r.diagnostics[0]!.hint).toBe("remove 'models' from clean-targets in dbt_project.yml: list only folders Strata writes, such as target and dbt_packages");
    for (const kept of ['models/orders.sql', 'seeds/rates.csv', 'target/run_results.json']) expect(existsSync(join(dir, kept))).toBe(true);
  });

  it('refuses a folder holding a source path, the project folder, the project file and anything outside the project', async () => {
    const dir = project(['target', 'src', '.', './', 'project.yml', '../elsewhere', 'build/../macros'], { 'src/marts/m.sql': 'select 2 as id', 'macros/m.sql': '' }, 'project.yml', 'model-paths: [src/marts, models]\n');
    const r = await run(dir);
    expect(r.exitCode).toBe(2);
    expect((refusals(r) as { message: string; line: number }[]).map((d) => `${d.line}: ${d.message.split(': strata')[0]}`)).toEqual([
      "6: clean-targets entry 'src' holds a source path (model-paths: src/marts)",
      "7: clean-targets entry '.' is the project folder",
      "8: clean-targets entry './' is the project folder",
      "9: clean-targets entry 'project.yml' is the project file project.yml",
      "10: clean-targets entry '../elsewhere' is outside the project",
      "11: clean-targets entry 'build/../macros' is a source path (macro-paths: macros)",
    ]);
    expect(existsSync(join(dir, 'target', 'run_results.json'))).toBe(true);
    expect(existsSync(join(dir, 'src', 'marts', 'm.sql'))).toBe(true);
  });

  it('refuses the database file and a folder inside a landing folder; keeps a landing folder inside a clean target', async () => {
    const sources = 'version: 2\nsources:\n  - name: depot\n    tables:\n      - name: parcels\n        external:\n          location: "{{ env_var(\'DROP_DIR\', \'drop\') }}/parcels/"\n          format: csv\n';
    const files = { 'models/sources.yml': sources, 'drop/parcels/day1.csv': 'id\n1\n', 'drop/scratch.txt': 'x', 'target/test.duckdb': '' };
    const refused = await run(project(['target/test.duckdb', 'drop/parcels/2026'], files));
    expect(refused.exitCode).toBe(2);
    expect((refusals(refused) as { message: string }[]).map((d) => d.message.split(': strata')[0])).toEqual([
      "clean-targets entry 'target/test.duckdb' is the target's database file",
      "clean-targets entry 'drop/parcels/2026' is inside a landing folder (the files a source lands from)",
    ]);
    const dir = project(['target', 'drop'], files);
    const r = await run(dir);
    expect(r.exitCode).toBe(0);
    expect(r.removed).toEqual(['target', 'drop']);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['clean-keeps-database', 'clean-keeps-landing']);
    expect(r.diagnostics[1]!.message).toBe("clean-targets entry 'drop' holds the landing folder drop/parcels (files a source lands from): it was kept");
    expect(existsSync(join(dir, 'drop', 'parcels', 'day1.csv'))).toBe(true);
    expect(existsSync(join(dir, 'drop', 'scratch.txt'))).toBe(false);
    expect(existsSync(join(dir, 'target', 'run_results.json'))).toBe(false);
  });

  it('a project that does not parse: cleans its target path and packages folder, refuses anything else', async () => {
    const broken = { 'models/orders.sql': 'select {% if %} 1', 'dbt_packages/old/dbt_project.yml': 'name: old\n' };
    const dir = project(['target', 'dbt_packages'], broken);
    const r = await run(dir);
    expect(r.exitCode).toBe(0);
    expect(r.removed).toEqual(['target', 'dbt_packages']);
    const other = project(['target', 'logs'], { ...broken, 'logs/strata.log': 'x' });
    mkdirSync(join(other, 'logs'), { recursive: true });
    const refused = await run(other);
    expect(refused.exitCode).toBe(2);
    expect(refused.removed).toEqual([]);
    expect(refused.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['jinja-syntax-error', 'clean-project-invalid']);
    expect(existsSync(join(other, 'target', 'run_results.json'))).toBe(true);
    writeFileSync(join(other, 'models', 'orders.sql'), 'select 1 as id');
    expect((await run(other)).removed).toEqual(['target', 'logs']);
  });
});
