/**
 * What a command loads before it does its work: each package loaded is paid for by every Airflow task and every
 * daily run. The `yaml` package (the thorough YAML reader, for diagnostics and what the fast reader rejects) stays
 * unloaded by a daily `build --vars '{ds: …}'` on a project whose files the fast reader reads, and `ls` loads
 * neither it nor DuckDB's driver. The bundled CLI runs in a child process, which then lists its loaded modules.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../test-support/demo-project.js';
import { removeProject, writeProject } from '../test-support/fixture-project.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const FILES: Record<string, string> = {
  'models/orders.sql': "select 1 as id, '{{ var(\"ds\", \"all\") }}' as ds",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: orders\n    config:\n      tags: ["{{ var(\'ds\', \'all\') }}"]\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
  'macros/cents.sql': '{% macro cents(c) %}({{ c }} / 100.0){% endmacro %}',
};

/** Runs the CLI bundle's `main` in a child process: its exit code and which packages it had loaded by the end. */
function loadedBy(project: string, args: string[]): { code: number; yaml: boolean; duckdb: boolean; out: string } {
  const script = `import { createRequire } from 'node:module';
    const { main } = await import(${JSON.stringify(join(repoRoot, 'dist', 'cli-bundle', 'main.js'))});
    const code = await main([process.execPath, 'strata', ...${JSON.stringify([...args, '--project-dir', project, '--profiles-dir', project])}]);
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    console.log('\\n' + JSON.stringify({ code, yaml: loaded.some((f) => /[\\\\/]node_modules[\\\\/]yaml[\\\\/]/.test(f)), duckdb: loaded.some((f) => /duckdb/.test(f)) }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  return { ...(JSON.parse(last.startsWith('{') ? last : '{"code":-1}') as { code: number; yaml: boolean; duckdb: boolean }), out: r.stdout + r.stderr };
}

describe('the modules a command loads', () => {
  it('a daily build with --vars, after a first build: no `yaml` package; ls: neither it nor DuckDB', () => {
    const project = writeProject(FILES);
    dirs.push(project);
    expect(loadedBy(project, ['build']).code).toBe(0);
    const daily = loadedBy(project, ['build', '--vars', '{ds: 2026-04-16}']);
    expect(daily.out).toContain('PASS=2');
    expect(daily).toMatchObject({ code: 0, yaml: false, duckdb: true });
    expect(loadedBy(project, ['ls', '--vars', '{ds: 2026-04-17}'])).toMatchObject({ code: 0, yaml: false, duckdb: false });
    // What the fast reader rejects (a key given twice) still goes to the thorough one: the check above can fail.
    expect(loadedBy(project, ['ls', '--vars', '{ds: 2026-04-17, ds: 2026-04-18}'])).toMatchObject({ code: 0, yaml: true });
  });
});
