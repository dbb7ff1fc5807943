/** manifest.json lists the target warehouse's macros only, as dbt's (which loads one adapter's), plus the global and the project's. */
import { describe, it, expect, afterAll } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build, list } from '../api/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

type MacroJson = { package_name: string; original_file_path: string; depends_on: { macros: string[] } };

describe('the macros of manifest.json on a DuckDB target', () => {
  it("leave out BigQuery's (unless a node calls one), keep DuckDB's; dispatch and state:modified are unchanged", async () => {
    const dir = writeProject({
      'macros/widths.sql': '{% macro wide_int() %}{{ bigquery__type_int() }}{% endmacro %}',
      'models/lanterns.sql': "{{ config(materialized='table') }} select cast(7 as {{ dbt.type_string() }}) as wick, {{ dbt.concat([\"'oil'\", \"'lamp'\"]) }} as fuel",
      'models/beacons.sql': "select '{{ wide_int() }}' as written_type",
    });
    dirs.push(dir);
    const r = await build({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(0);
    // Dispatch still reaches DuckDB's versions.
    expect(await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select wick, fuel from main.lanterns')).toEqual([{ wick: '7', fuel: 'oillamp' }]);

    const manifest = JSON.parse(readFileSync(join(dir, 'target', 'manifest.json'), 'utf8')) as { macros: Record<string, MacroJson>; nodes: Record<string, { depends_on: { macros: string[] } }> };
    const ids = Object.keys(manifest.macros);
    const bigquery = ids.filter((id) => id.includes('bigquery'));
    // Only the BigQuery macro a project macro calls, so depends_on and --state can still name it.
    expect(bigquery).toEqual(['macro.dbt.bigquery__type_int']);
    expect(Object.values(manifest.macros).filter((m) => m.original_file_path.includes('adapters/bigquery/')).length).toBe(1);
    expect(ids).toContain('macro.dbt_duckdb.duckdb__get_catalog');
    expect(ids).toContain('macro.dbt.type_string');
    expect(ids).toContain('macro.p.wide_int');
    // Every macro a node or a macro depends on is listed.
    const named = [...Object.values(manifest.nodes), ...Object.values(manifest.macros)].flatMap((n) => n.depends_on?.macros ?? []);
    expect(named.filter((id) => !manifest.macros[id])).toEqual([]);

    mkdirSync(join(dir, 'state'));
    copyFileSync(join(dir, 'target', 'manifest.json'), join(dir, 'state', 'manifest.json'));
    const modified = await list({ projectDir: dir, profilesDir: dir, select: ['state:modified'], state: join(dir, 'state') });
    expect(modified.exitCode).toBe(0);
    expect(modified.lines).toEqual([]);
  });
});
