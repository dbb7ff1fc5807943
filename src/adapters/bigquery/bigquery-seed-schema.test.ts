import { describe, it, expect } from 'vitest';
import { seedSchema } from './bigquery-seed-schema.js';

describe('BigQuery seed schema', () => {
  it("infers dbt's types from every row, with column_types overriding", () => {
    const csv = [
      'id,amount,ratio,day,at,flag,label,empty,"quoted, name",code',
      '1,10,0.5,2026-01-01,2026-01-01 10:00:00,true,a,,x,001',
      '2,20,1,2026-01-02,2026-01-02T11:30:00Z,False,b,null,y,002',
      '3,,2.25,,,TRUE,c,,z,abc',
    ].join('\n');
    expect(seedSchema(csv, { columnTypes: { code: 'string' } })).toEqual([
      { name: 'id', type: 'INT64' },
      { name: 'amount', type: 'INT64' },
      { name: 'ratio', type: 'FLOAT64' },
      { name: 'day', type: 'DATE' },
      { name: 'at', type: 'DATETIME' },
      { name: 'flag', type: 'BOOL' },
      { name: 'label', type: 'STRING' },
      { name: 'empty', type: 'INT64' },
      { name: 'quoted, name', type: 'STRING' },
      { name: 'code', type: 'STRING' },
    ]);
  });

  it('widens a column to the first kind that every value fits, not the last one seen', () => {
    // A date then a boolean: neither DATE nor BOOL fits both, so the column is text.
    expect(seedSchema('v\n2026-01-01\ntrue\n')).toEqual([{ name: 'v', type: 'STRING' }]);
    // Row 600 breaks the pattern: BigQuery's autodetect (500 rows) would have said INT64.
    expect(seedSchema(`n\n${'1\n'.repeat(599)}1.5\n`)).toEqual([{ name: 'n', type: 'FLOAT64' }]);
    expect(seedSchema('a;b\n1;x\n', { delimiter: ';' })).toEqual([{ name: 'a', type: 'INT64' }, { name: 'b', type: 'STRING' }]);
  });
});
