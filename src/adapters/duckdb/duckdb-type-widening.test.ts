/** DuckDB type names read and written back, and how a bronze column's type takes a landed file's. */
import { describe, it, expect } from 'vitest';
import { parseDuckType, renderDuckType } from './duckdb-types.js';
import { widenType } from './duckdb-type-widening.js';

describe('DuckDB type names', () => {
  it.each([
    ['BIGINT', 'BIGINT'],
    ['DECIMAL(18,3)', 'DECIMAL(18,3)'],
    ['TIMESTAMP WITH TIME ZONE', 'TIMESTAMP WITH TIME ZONE'],
    ['STRUCT(id BIGINT, handle VARCHAR)', 'STRUCT("id" BIGINT, "handle" VARCHAR)'],
    ['STRUCT("a b" VARCHAR, "say ""hi""" INTEGER)[]', 'STRUCT("a b" VARCHAR, "say ""hi""" INTEGER)[]'],
    ['STRUCT(amount DECIMAL(10,2), at TIMESTAMP WITH TIME ZONE)', 'STRUCT("amount" DECIMAL(10,2), "at" TIMESTAMP WITH TIME ZONE)'],
    ['MAP(VARCHAR, STRUCT(x INTEGER)[])', 'MAP(VARCHAR, STRUCT("x" INTEGER)[])'],
    ['INTEGER[3][]', 'INTEGER[3][]'],
    ["ENUM('a,b', 'c')", "ENUM('a,b', 'c')"],
  ])('%s', (text, rendered) => {
    expect(renderDuckType(parseDuckType(text))).toBe(rendered);
  });
});

describe('widenType', () => {
  it('takes the same type, a narrower integer, anything into text', () => {
    expect(widenType('c', 'BIGINT', 'BIGINT')).toEqual({ kind: 'takes' });
    expect(widenType('c', 'BIGINT', 'INTEGER')).toEqual({ kind: 'takes' });
    expect(widenType('c', 'VARCHAR', 'STRUCT(a INTEGER)')).toEqual({ kind: 'takes' });
    expect(widenType('c', 'STRUCT(a INTEGER, b VARCHAR)', 'STRUCT(A INTEGER)')).toEqual({ kind: 'takes' });
    // A field null all day is JSON to the reader.
    expect(widenType('c', 'STRUCT(a INTEGER, b VARCHAR)', 'STRUCT(a INTEGER, b JSON)')).toEqual({ kind: 'takes' });
  });

  it('widens a struct by its new fields at any depth, in lists and maps', () => {
    expect(widenType('author', 'STRUCT(id BIGINT)', 'STRUCT(id BIGINT, verified BOOLEAN)')).toEqual({ kind: 'widen', type: 'STRUCT("id" BIGINT, "verified" BOOLEAN)', fields: ['author.verified (new)'] });
    expect(widenType('tags', 'STRUCT(k VARCHAR)[]', 'STRUCT(w DOUBLE, k VARCHAR)[]')).toEqual({ kind: 'widen', type: 'STRUCT("k" VARCHAR, "w" DOUBLE)[]', fields: ['tags[].w (new)'] });
    expect(widenType('m', 'MAP(VARCHAR, STRUCT(a INTEGER))', 'MAP(VARCHAR, STRUCT(a BIGINT, b DATE))')).toEqual({ kind: 'widen', type: 'MAP(VARCHAR, STRUCT("a" BIGINT, "b" DATE))', fields: ['m.value.a (INTEGER → BIGINT)', 'm.value.b (new)'] });
    expect(widenType('s', 'STRUCT(x STRUCT(y INTEGER), z VARCHAR)', 'STRUCT(x STRUCT(y DOUBLE, q VARCHAR))')).toEqual({ kind: 'widen', type: 'STRUCT("x" STRUCT("y" DOUBLE, "q" VARCHAR), "z" VARCHAR)', fields: ['s.x.y (INTEGER → DOUBLE)', 's.x.q (new)'] });
  });

  it('an integer meeting a double becomes DOUBLE; other scalar changes are converted (checked) at the top, conflicts inside', () => {
    expect(widenType('n', 'INTEGER', 'DOUBLE')).toEqual({ kind: 'widen', type: 'DOUBLE', fields: ['n (INTEGER → DOUBLE)'] });
    expect(widenType('n', 'INTEGER', 'BIGINT')).toEqual({ kind: 'convert' });
    expect(widenType('n', 'BIGINT', 'VARCHAR')).toEqual({ kind: 'convert' });
    expect(widenType('n', 'BIGINT', 'JSON')).toEqual({ kind: 'convert' });
    expect(widenType('s', 'STRUCT(id BIGINT)', 'STRUCT(id VARCHAR, v BOOLEAN)')).toEqual({ kind: 'conflict', field: 's.id', tableType: 'BIGINT', fileType: 'VARCHAR', suggested: 'STRUCT("id" VARCHAR, "v" BOOLEAN)' });
    expect(widenType('s', 'STRUCT(id BIGINT)', 'VARCHAR')).toEqual({ kind: 'conflict', field: 's', tableType: 'STRUCT("id" BIGINT)', fileType: 'VARCHAR', suggested: 'VARCHAR' });
  });

  it('a double meeting a BIGINT, the table\'s or the file\'s, comes with the values to look for first, and the type that holds them', () => {
    expect(widenType('n', 'DOUBLE', 'INTEGER')).toEqual({ kind: 'takes' });
    expect(widenType('n', 'BIGINT', 'DOUBLE')).toEqual({
      kind: 'widen', type: 'DOUBLE', fields: ['n (BIGINT → DOUBLE)'], suggested: 'VARCHAR',
      rounding: [{ side: 'table', field: 'n', tableType: 'BIGINT', fileType: 'DOUBLE', where: 'try_cast(try_cast("n" as DOUBLE) as BIGINT) is distinct from "n"' }],
    });
    expect(widenType('n', 'DOUBLE', 'HUGEINT')).toEqual({
      kind: 'takes', suggested: 'VARCHAR',
      rounding: [{ side: 'file', field: 'n', tableType: 'DOUBLE', fileType: 'HUGEINT', where: 'try_cast(try_cast("n" as DOUBLE) as HUGEINT) is distinct from "n"' }],
    });
    const w = widenType('l', "STRUCT(a STRUCT(k DOUBLE)[], b VARCHAR)", "STRUCT(a STRUCT(k BIGINT, x DATE)[])");
    expect(w).toEqual({
      kind: 'widen', type: 'STRUCT("a" STRUCT("k" DOUBLE, "x" DATE)[], "b" VARCHAR)', fields: ['l.a[].x (new)'], suggested: 'STRUCT("a" STRUCT("k" VARCHAR, "x" DATE)[], "b" VARCHAR)',
      rounding: [{
        side: 'file', field: 'l.a[].k', tableType: 'DOUBLE', fileType: 'BIGINT',
        where: "list_bool_or(list_transform(struct_extract(\"l\", 'a'), __strata_v0 -> try_cast(try_cast(struct_extract(__strata_v0, 'k') as DOUBLE) as BIGINT) is distinct from struct_extract(__strata_v0, 'k')))",
      }],
    });
  });
});
