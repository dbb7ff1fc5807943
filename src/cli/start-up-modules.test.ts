/**
 * What a command loads before it does its work: each package loaded is paid for by every Airflow task and every
 * daily run. The `yaml` package (the thorough YAML reader, for diagnostics and what the fast reader rejects) stays
 * unloaded by a daily `build --vars '{ds: …}'` on a project whose files the fast reader reads, and `ls` loads
 * neither it nor DuckDB's driver; and none of them creates ICU's collator (`localeCompare`, 20–50 ms the first time):
 * quarantine rules and landed files are put in that order without it (project/name-order.ts). The bundled CLI runs
 * in a child process, which then lists its loaded modules.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../test-support/demo-project.js';
import { removeProject, writeProject } from '../test-support/fixture-project.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const FILES: Record<string, string> = {
  'models/sources.yml': `version: 2
sources:
  - name: landing
    schema: main
    tables:
      - name: calls
        identifier: raw_calls
        external: {location: files/, format: csv, pattern: "calls_{{ var('ds', '*') }}.csv"}
models:
  - name: calls_clean
    config: {quarantine: true, tags: ["{{ var('ds', 'all') }}"]}
    columns:
      - {name: id, data_tests: [not_null]}
      - {name: amount, data_tests: [not_null]}
`,
  'models/calls_clean.sql': "{{ config(materialized='table') }}\nselect id, {{ cents('cast(amount as integer)') }} as amount from {{ source('landing', 'calls') }}\n",
  'files/calls_2026-04-16.csv': 'id,amount\n1,250\n2,\n',
  'files/calls_2026-04-17.csv': 'id,amount\n3,400\n',
  'macros/cents.sql': '{% macro cents(c) %}({{ c }} / 100.0){% endmacro %}',
};

/** Runs the CLI bundle's `main` in a child process: its exit code and which packages it had loaded by the end. */
function loadedBy(project: string, args: string[]): { code: number; icu: boolean; yaml: boolean; duckdb: boolean; out: string } {
  const script = `import { createRequire } from 'node:module';
    let icu = false;
    const localeCompare = String.prototype.localeCompare;
    String.prototype.localeCompare = function (...a) { icu = true; return localeCompare.apply(this, a); };
    const { main } = await import(${JSON.stringify(join(repoRoot, 'dist', 'cli-bundle', 'main.js'))});
    const code = await main([process.execPath, 'strata', ...${JSON.stringify([...args, '--project-dir', project, '--profiles-dir', project])}]);
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    console.log('\\n' + JSON.stringify({ code, icu, yaml: loaded.some((f) => /[\\\\/]node_modules[\\\\/]yaml[\\\\/]/.test(f)), duckdb: loaded.some((f) => /duckdb/.test(f)) }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  return { ...(JSON.parse(last.startsWith('{') ? last : '{"code":-1}') as { code: number; icu: boolean; yaml: boolean; duckdb: boolean }), out: r.stdout + r.stderr };
}

describe('the modules a command loads', () => {
  it('a daily build with --vars: no `yaml` package and no ICU collator; ls: neither, nor DuckDB', () => {
    const project = writeProject(FILES);
    dirs.push(project);
    const first = loadedBy(project, ['build', '--vars', '{ds: 2026-04-16}']);
    expect(first.out).toContain('PASS=4');
    expect(first.code).toBe(0);
    const daily = loadedBy(project, ['build', '--vars', '{ds: 2026-04-17}']);
    expect(daily.out).toContain('landed 1 file');
    expect(daily.out).toContain('PASS=4');
    expect(daily).toMatchObject({ code: 0, icu: false, yaml: false, duckdb: true });
    // Two days' files arrive at once: a build without ds lands both, in their order.
    writeFileSync(join(project, 'files', 'calls_2026-04-19.csv'), 'id,amount\n5,100\n');
    writeFileSync(join(project, 'files', 'calls_2026-04-18.csv'), 'id,amount\n4,100\n');
    const all = loadedBy(project, ['build']);
    expect(all.out).toContain('landed 2 files');
    expect(all).toMatchObject({ code: 0, icu: false, yaml: false });
    expect(loadedBy(project, ['ls', '--vars', '{ds: 2026-04-18}'])).toMatchObject({ code: 0, icu: false, yaml: false, duckdb: false });
    // What the fast reader rejects (a key given twice) still goes to the thorough one: the check above can fail.
    expect(loadedBy(project, ['ls', '--vars', '{ds: 2026-04-17, ds: 2026-04-18}'])).toMatchObject({ code: 0, yaml: true });
  });
});
