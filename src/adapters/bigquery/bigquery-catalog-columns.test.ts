import { describe, it, expect } from 'vitest';
import { catalogColumns, googleSqlType } from './bigquery-catalog-columns.js';

describe("BigQuery catalog columns (dbt-bigquery's, from COLUMN_FIELD_PATHS)", () => {
  it('spells types as GoogleSQL does: legacy names, parameters, ranges, records and repeated fields', () => {
    expect(googleSqlType({ name: 'n', type: 'INTEGER' })).toBe('INT64');
    expect(googleSqlType({ name: 'code', type: 'STRING', maxLength: '8' })).toBe('STRING(8)');
    expect(googleSqlType({ name: 'price', type: 'NUMERIC', precision: '10', scale: '2' })).toBe('NUMERIC(10, 2)');
    expect(googleSqlType({ name: 'stay', type: 'RANGE', rangeElementType: { type: 'DATE' } })).toBe('RANGE<DATE>');
    expect(googleSqlType({ name: 'marks', type: 'FLOAT', mode: 'REPEATED' })).toBe('ARRAY<FLOAT64>');
    expect(googleSqlType({ name: 'who', type: 'RECORD', mode: 'REPEATED', fields: [{ name: 'ok', type: 'BOOLEAN' }, { name: 'tags', type: 'STRING', mode: 'REPEATED' }] })).toBe('ARRAY<STRUCT<ok BOOL, tags ARRAY<STRING>>>');
  });

  it("numbers paths after their top-level column in text order, keeping a field's description and '' for none", () => {
    const cols = catalogColumns([
      { name: 'b', type: 'RECORD', fields: [{ name: 'z', type: 'STRING', description: 'last letter' }, { name: 'Y', type: 'INT64' }, { name: 'a', type: 'RECORD', fields: [{ name: 'x', type: 'DATE' }] }] },
      { name: 'a', type: 'STRING', mode: 'REQUIRED' },
    ]);
    expect(cols.map((c) => [c.name, c.dataType, c.description, c.nullable])).toEqual([
      ['b', 'STRUCT<z STRING, Y INT64, a STRUCT<x DATE>>', '', true],
      ['b.Y', 'INT64', '', true],
      ['b.a', 'STRUCT<x DATE>', '', true],
      ['b.a.x', 'DATE', '', true],
      ['b.z', 'STRING', 'last letter', true],
      ['a', 'STRING', '', false],
    ]);
  });
});
