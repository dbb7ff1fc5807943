/**
 * A column whose type changed counts as a schema change, as in dbt's `check_for_schema_changes`
 * (`new_target_types`): `sync_all_columns` changes the table's column type (dbt's `alter_column_type`),
 * `fail` stops the model, `append_new_columns` leaves the type alone. DuckDB here; BigQuery in
 * adapters/bigquery/bigquery-schema-change.test.ts.
 */
import { describe, it, expect } from 'vitest';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { run } from '../api/index.js';

const project = duckDbProjectsRemovedAfterAll();
const model = (mode: string, amount: string): string => `{{ config(materialized='incremental', unique_key='id', on_schema_change='${mode}') }}\nselect {{ var('id', 1) }} as id, ${amount} as amount, 'kept' as note`;
const typeOf = (p: { q(sql: string): Promise<Record<string, unknown>[]> }, table: string): Promise<Record<string, unknown>[]> =>
  p.q(`select column_name, data_type from information_schema.columns where table_name = '${table}' and column_name = 'amount'`);

describe('on_schema_change and a column whose type changed (DuckDB)', () => {
  it("sync_all_columns changes the column's type, keeping the old rows' values", async () => {
    const p = project({ 'models/tallies.sql': model('sync_all_columns', 'cast(10 as integer)') });
    expect((await run({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    p.write('models/tallies.sql', model('sync_all_columns', 'cast(10.5 as double)'));
    const r = await run({ projectDir: p.dir, profilesDir: p.dir, vars: { id: 2 } });
    expect(r.results.map((x) => x.status)).toEqual(['success']);
    expect(await typeOf(p, 'tallies')).toEqual([{ column_name: 'amount', data_type: 'DOUBLE' }]);
    expect(await p.q('select id, amount, note from main.tallies order by id')).toEqual([{ id: 1, amount: 10, note: 'kept' }, { id: 2, amount: 10.5, note: 'kept' }]);
  });

  it('fail stops on a type-only change, naming the new type, and leaves the table as it was', async () => {
    const p = project({ 'models/counts.sql': model('fail', 'cast(10 as integer)') });
    expect((await run({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    p.write('models/counts.sql', model('fail', 'cast(10.5 as double)'));
    const r = await run({ projectDir: p.dir, profilesDir: p.dir, vars: { id: 2 } });
    expect(r.exitCode).toBe(1);
    expect(r.results[0]!.message).toContain("Source columns not in target: []; target columns not in source: []; new column types: [{'column_name': 'amount', 'new_type': 'DOUBLE'}]");
    expect(await p.q('select id, amount from main.counts')).toEqual([{ id: 1, amount: 10 }]);
  });

  it('append_new_columns leaves the type as it was, as dbt', async () => {
    const p = project({ 'models/sums.sql': model('append_new_columns', 'cast(10 as integer)') });
    expect((await run({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    p.write('models/sums.sql', model('append_new_columns', 'cast(12 as bigint)'));
    expect((await run({ projectDir: p.dir, profilesDir: p.dir, vars: { id: 2 } })).exitCode).toBe(0);
    expect(await typeOf(p, 'sums')).toEqual([{ column_name: 'amount', data_type: 'INTEGER' }]);
  });
  it('sync_all_columns refuses a type change that would alter old rows (a decimal rounded, a text code as a number, a struct field dropped), changing nothing', async () => {
    for (const [before, after, kept] of [
      ['cast(12.345 as decimal(18,3))', 'cast(1.5 as decimal(4,1))', '12.345'],
      ["'007'", '42', '007'],
      ["{'x': 1, 'y': 'keep'}", "{'x': 2}", { x: 1, y: 'keep' }],
    ] as const) {
      const p = project({ 'models/ledger.sql': model('sync_all_columns', before) });
      expect((await run({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
      p.write('models/ledger.sql', model('sync_all_columns', after));
      const r = await run({ projectDir: p.dir, profilesDir: p.dir, vars: { id: 2 } });
      expect(r.exitCode).toBe(1);
      expect(r.results[0]!.message).toMatch(/sync_all_columns' would change existing rows of ledger: amount .* -> .* \(1 row\(s\) not kept as they are\); nothing was changed/);
      expect(await p.q('select id, amount from main.ledger')).toEqual([{ id: 1, amount: kept }]);
    }
  });

  it('a text column becoming a list of texts is a type change (fail stops), not two strings', async () => {
    const p = project({ 'models/labels.sql': model('fail', "'a'") });
    expect((await run({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    p.write('models/labels.sql', model('fail', "['b', 'c']"));
    const r = await run({ projectDir: p.dir, profilesDir: p.dir, vars: { id: 2 } });
    expect(r.exitCode).toBe(1);
    expect(r.results[0]!.message).toContain("'new_type': 'VARCHAR[]'");
  });
});
