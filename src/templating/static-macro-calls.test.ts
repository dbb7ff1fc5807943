import { describe, it, expect } from 'vitest';
import { dispatchTarget, staticMacroCalls, type MacroLookup } from './static-macro-calls.js';

const MACROS: Record<string, string[]> = {
  shop: ['cents', 'duckdb__cents', 'wrap', 'helper'],
  util: ['helper', 'default__cents', 'pad'],
  dbt: ['current_timestamp', 'default__current_timestamp', 'duckdb__current_timestamp', 'is_incremental', 'statement'],
};
const has = (name: string, pkg: string): boolean => MACROS[pkg]?.includes(name) ?? false;
const space = { has, packages: () => Object.keys(MACROS), projectName: 'shop', adapterType: 'duckdb' };
const lookup: MacroLookup = {
  packageOf: (name, local) => (has(name, local) ? local : ['shop', 'util', 'dbt'].find((p) => has(name, p))),
  has,
  isPackage: (name) => name in MACROS,
  dispatch: (name, ns) => {
    const t = dispatchTarget(space, name, ns);
    return t && `macro.${t.pkg}.${t.name}`;
  },
};

describe('staticMacroCalls', () => {
  it('finds calls in tags, package-qualified calls and dispatch targets; not SQL, strings, definitions or itself', () => {
    const sql = `{% macro cents(x) %}
select count(*), {{ return(adapter.dispatch('cents', 'shop')(x)) }} -- wrap(x) outside a tag is SQL
{{ "helper(1)" ~ 'pad(2)' }} {{ util.pad(x) }} {{ relation.incorporate(x) }} {% call statement('main') %}{% endcall %}
{% if is_incremental() %}{{ cents(1) }}{% endif %}{{ ref('a') }}
{% endmacro %}`;
    expect(staticMacroCalls(sql, 'shop', lookup, 'cents')).toEqual(['macro.shop.duckdb__cents', 'macro.util.pad', 'macro.dbt.statement', 'macro.dbt.is_incremental']);
  });

  it("resolves a name in the template's own package first, and dispatch with keyword arguments", () => {
    expect(staticMacroCalls('{{ helper() }}', 'util', lookup)).toEqual(['macro.util.helper']);
    expect(staticMacroCalls('{{ helper() }}', 'shop', lookup)).toEqual(['macro.shop.helper']);
    expect(staticMacroCalls("{{ adapter.dispatch(macro_name='current_timestamp', macro_namespace='dbt')() }}", 'shop', lookup)).toEqual(['macro.dbt.duckdb__current_timestamp']);
    // Only default__cents exists for another adapter's prefix: a BigQuery target calls it.
    expect(dispatchTarget({ ...space, adapterType: 'bigquery' }, 'cents', 'shop')).toEqual({ pkg: 'util', name: 'default__cents' });
    expect(dispatchTarget(space, 'nothing', undefined)).toBeUndefined();
  });
});
