/**
 * The built-in macros in manifest.json as dbt's: dbt's global ones in package `dbt` with dbt-adapters' file paths,
 * dbt-duckdb's as package `dbt_duckdb` (`macro.dbt_duckdb.duckdb__…`) with its paths; every id named in a
 * `depends_on.macros` listed; and such a manifest, read back as `--state`, finds nothing modified.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { list, parse } from './index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

type Macro = { unique_id: string; package_name: string; path: string; original_file_path: string; depends_on: { macros: string[] } };
type Node = { depends_on: { macros: string[] } };

describe('built-in macros in manifest.json', () => {
  it("have dbt's ids, packages and paths, and the project's macros keep theirs", async () => {
    const dir = writeProject({
      'models/stamps.sql': 'select {{ current_timestamp() }} as stamped_at, {{ loud_name("x") }} as n',
      'macros/loud.sql': "{% macro loud_name(c) %}upper('{{ c }}'){% endmacro %}",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: stamps\n    columns:\n      - name: n\n        data_tests: [not_null]\n',
    });
    dirs.push(dir);
    expect((await parse({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    const m = JSON.parse(readFileSync(join(dir, 'target', 'manifest.json'), 'utf8')) as { macros: Record<string, Macro>; nodes: Record<string, Node> };
    const at = (id: string): Pick<Macro, 'package_name' | 'path' | 'original_file_path'> | undefined => {
      const x = m.macros[id];
      return x && { package_name: x.package_name, path: x.path, original_file_path: x.original_file_path };
    };
    expect(at('macro.dbt.test_not_null')).toEqual({ package_name: 'dbt', path: 'tests/generic/builtin.sql', original_file_path: 'tests/generic/builtin.sql' });
    expect(at('macro.dbt.get_where_subquery')).toEqual({ package_name: 'dbt', path: 'macros/materializations/tests/where_subquery.sql', original_file_path: 'macros/materializations/tests/where_subquery.sql' });
    expect(at('macro.dbt.current_timestamp')?.path).toMatch(/^macros\/.+\.sql$/);
    expect(at('macro.dbt_duckdb.duckdb__current_timestamp')).toMatchObject({ package_name: 'dbt_duckdb', path: expect.stringMatching(/^macros\/.+\.sql$/) });
    expect(m.macros['macro.dbt.duckdb__current_timestamp']).toBeUndefined();
    expect(m.macros['macro.dbt.current_timestamp']!.depends_on.macros).toContain('macro.dbt_duckdb.duckdb__current_timestamp');
    expect(at('macro.p.loud_name')).toEqual({ package_name: 'p', path: 'macros/loud.sql', original_file_path: 'macros/loud.sql' });
    const named = [...Object.values(m.nodes), ...Object.values(m.macros)].flatMap((x) => x.depends_on.macros);
    expect(named.filter((id) => !m.macros[id])).toEqual([]);
    expect(Object.values(m.macros).filter((x) => x.package_name === 'dbt' && x.path.startsWith('macros/')).length).toBeGreaterThan(100);

    // The same project against that manifest: nothing is modified (dbt's ids are read back as Strata's).
    cpSync(join(dir, 'target'), join(dir, 'prod'), { recursive: true });
    const modified = await list({ projectDir: dir, profilesDir: dir, select: ['state:modified'], state: join(dir, 'prod') });
    expect(modified.exitCode).toBe(0);
    expect(modified.lines).toEqual([]);
  });
});
