import { describe, it, expect } from 'vitest';
import { attachProblems, attachSpecs, attachSql } from './duckdb-attach.js';
import type { TargetConfig } from '../../project/types.js';

const target = (attach: unknown): TargetConfig => ({ type: 'duckdb', name: 'dev', schema: 'main', threads: 1, settings: { type: 'duckdb', attach } });

describe("DuckDB profiles' attach:", () => {
  it('resolves paths against the project and defaults the alias to the file name', () => {
    expect(attachSpecs(target([{ path: 'target/prod.duckdb' }, { path: '/abs/ref.db', alias: 'ref', read_only: true }]), '/p')).toEqual([
      { path: '/p/target/prod.duckdb', alias: 'prod' },
      { path: '/abs/ref.db', alias: 'ref', read_only: true },
    ]);
  });

  it('writes ATTACH with its options, quoting path and alias', () => {
    expect(attachSql({ path: "/x/o'brien.duckdb", alias: 'prod' })).toBe(`attach if not exists '/x/o''brien.duckdb' as "prod"`);
    expect(attachSql({ path: '/x/a.db', alias: 'a', type: 'sqlite', read_only: true })).toBe(`attach if not exists '/x/a.db' as "a" (type sqlite, read_only)`);
  });

  it('reports a missing path, a duplicate alias and a non-list', () => {
    expect(attachProblems(target(undefined))).toEqual([]);
    expect(attachProblems(target('x.duckdb'))).toEqual(['duckdb attach must be a list of {path, alias, read_only, type}']);
    expect(attachProblems(target([{ alias: 'a' }, { path: 'a.duckdb' }, { path: 'b/a.duckdb' }]))).toEqual([
      'duckdb attach entry 1 needs a path (the database file to attach)',
      "duckdb attach: the alias 'a' is used twice; give each attached database its own alias",
    ]);
  });
});
