import { describe, it, expect } from 'vitest';
import { createTemplateEngine } from './index.js';
import { duplicateMaterialization, findMaterialization } from './materialization-lookup.js';
import type { MacroInfo } from './types.js';

const block = (name: string, packageName: string, adapter: string): MacroInfo => ({ name, packageName, adapter, path: `${packageName}/m.sql`, line: 1, arguments: [], sql: '', kind: 'materialization' });

const engine = (contents: string) =>
  createTemplateEngine({ projectName: 'p', adapterType: 'duckdb', target: { name: 'dev', schema: 'main', type: 'duckdb' }, vars: {}, env: {}, docs: {}, macroFiles: [{ path: 'macros/m.sql', packageName: 'p', contents }] });

describe('finding a materialization block, as dbt does', () => {
  it("takes the adapter's own block before a default one, wherever it is, then the root project before a package", () => {
    const blocks = [block('x', 'p', 'default'), block('x', 'pkg', 'duckdb'), block('x', 'pkg', 'snowflake'), block('y', 'pkg', 'default'), block('y', 'p', 'default')];
    expect(findMaterialization(blocks, 'p', 'x', 'duckdb')).toMatchObject({ packageName: 'pkg', adapter: 'duckdb' });
    expect(findMaterialization(blocks, 'p', 'x', 'bigquery')).toMatchObject({ packageName: 'p', adapter: 'default' });
    expect(findMaterialization(blocks, 'p', 'y', 'duckdb')).toMatchObject({ packageName: 'p' });
    expect(findMaterialization([block('z', 'pkg', 'snowflake')], 'p', 'z', 'duckdb')).toBeUndefined();
  });

  it('parses a block as the macro materialization_<name>_<adapter>, and refuses an argument dbt does not know', () => {
    const ok = engine("{% materialization audited, adapter='duckdb' %}x{% endmaterialization %}\n{%- materialization audited, default, supported_languages=['sql'] -%}y{%- endmaterialization -%}\n");
    expect(ok.diagnostics).toEqual([]);
    expect(ok.hasMacro('materialization_audited_duckdb') && ok.hasMacro('materialization_audited_default')).toBe(true);
    expect(ok.materializations?.map((m) => [m.name, m.adapter, m.line])).toEqual([['audited', 'duckdb', 1], ['audited', 'default', 2]]);
    const bad = engine("\n{% materialization audited, colour='red' %}x{% endmaterialization %}\n");
    expect(bad.diagnostics).toEqual([expect.objectContaining({ code: 'macro-syntax-error', line: 2, message: expect.stringContaining("invalid argument 'colour'") })]);
  });
  it('refuses two packages defining the same materialization for the same adapter (dbt: DuplicateMaterializationNameError), unless the root project defines it', () => {
    const two = [block('x', 'pkg_a', 'duckdb'), block('x', 'pkg_b', 'duckdb'), block('x', 'pkg_c', 'default')];
    expect(duplicateMaterialization(two, 'p', 'x', 'duckdb')).toMatchObject({ code: 'materialization-duplicate', severity: 'error', file: 'pkg_b/m.sql' });
    expect(duplicateMaterialization([...two, block('x', 'p', 'duckdb')], 'p', 'x', 'duckdb')).toBeUndefined();
    // A default and an adapter-specific one are no duplicates: the specific one wins.
    expect(duplicateMaterialization([block('x', 'pkg_a', 'duckdb'), block('x', 'pkg_c', 'default')], 'p', 'x', 'duckdb')).toBeUndefined();
  });
});
