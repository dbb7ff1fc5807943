/** DuckDB's TIMESTAMP precisions (`_S`, `_MS`, `_NS`) read as Python datetimes, as TIMESTAMP does, on a real DuckDB file. */
import { describe, it, expect, afterAll } from 'vitest';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build } from '../api/index.js';
import { warehouseDateTime, warehouseDateTimeKind } from './python-datetime.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

describe('warehouse timestamp types', () => {
  it('every TIMESTAMP precision and zone is a datetime; DATE a date; other types stay as they are', () => {
    for (const t of ['TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS', 'TIMESTAMP WITH TIME ZONE', 'DATETIME', 'timestamp_ns']) expect(warehouseDateTimeKind(t)).toBe('datetime');
    expect(warehouseDateTimeKind('DATE')).toBe('date');
    for (const t of ['VARCHAR', 'TIME', 'INTERVAL', 'TIMESTAMPX', undefined]) expect(warehouseDateTimeKind(t)).toBeUndefined();
    const ns = warehouseDateTime('2024-01-02 03:04:05.123456789', 'TIMESTAMP_NS')!;
    expect([String(ns), ns.microsecond, ns.strftime('%f'), ns.isoformat()]).toEqual(['2024-01-02 03:04:05.123456789', 123456, '123456', '2024-01-02T03:04:05.123456789']);
    expect(String(warehouseDateTime('1970-01-01 00:00:00.000000001', 'TIMESTAMP_NS'))).toBe('1970-01-01 00:00:00.000000001');
    expect(String(warehouseDateTime('2024-01-02 03:04:05', 'TIMESTAMP_S'))).toBe('2024-01-02 03:04:05');
    expect(String(warehouseDateTime('2024-01-02 03:04:05.1', 'TIMESTAMP_MS'))).toBe('2024-01-02 03:04:05.100000');
    expect(warehouseDateTime('n/a', 'TIMESTAMP_NS')).toBeUndefined();
  });

  it('run_query and statement results give datetimes for TIMESTAMP_S/_MS/_NS; a unit test on a TIMESTAMP_NS model compares as the warehouse does', async () => {
    const select = "select '2024-01-02 03:04:05.123456789'::timestamp_ns as ns, '2024-01-02 03:04:05.123'::timestamp_ms as ms, '2024-01-02 03:04:05'::timestamp_s as s, '2024-01-02 03:04:05.123456'::timestamp as t";
    const show = (v: string): string => `{{ ${v}.strftime('%Y/%m/%d %H:%M:%S') }}|{{ ${v}.microsecond }}|{{ ${v} }}|{{ ${v} is string }}`;
    const dir = writeProject({
      'models/events.sql': "select '2024-01-02 03:04:05.123456789'::timestamp_ns as ts, 1 as id",
      'models/m.sql': [
        `{% set r = run_query("${select}") if execute else none %}`,
        "{% call statement('st', fetch_result=True) %}" + select + '{% endcall %}',
        "{% set st = load_result('st').table if execute else none %}",
        "{% set row = r.rows[0] if execute else none %}{% set srow = st.rows[0] if execute else none %}",
        'select',
        ...['ns', 'ms', 's', 't'].map((c) => `  '{% if execute %}${show(`row['${c}']`)}{% endif %}' as ${c},`),
        `  '{% if execute %}${show('srow[0]')}|{{ r.columns[0].values()[0] > r.columns[3].values()[0] }}{% endif %}' as statement_ns`,
      ].join('\n'),
      'models/later.sql': "select ts, id from {{ ref('events') }}",
      'models/tests.yml': [
        'unit_tests:',
        '  - name: later_keeps_nanoseconds',
        '    model: later',
        '    given:',
        "      - input: ref('events')",
        "        rows: [{id: 1, ts: '2024-01-02 03:04:05.123456789'}]",
        '    expect:',
        "      rows: [{id: 1, ts: '2024-01-02 03:04:05.123456789'}]",
        '  - name: later_sees_nanoseconds',
        '    model: later',
        '    given:',
        "      - input: ref('events')",
        "        rows: [{id: 1, ts: '2024-01-02 03:04:05.123456789'}]",
        '    expect:',
        "      rows: [{id: 1, ts: '2024-01-02 03:04:05.123456788'}]",
      ].join('\n'),
    });
    dirs.push(dir);
    const r = await build({ projectDir: dir, profilesDir: dir });
    expect(r.results.filter((x) => x.status !== 'success' && x.status !== 'pass').map((x) => [x.uniqueId, x.status])).toEqual([['unit_test.p.later.later_sees_nanoseconds', 'fail'], ['model.p.later', 'skipped']]);
    expect(await queryDuckDb(join(dir, 'target/test.duckdb'), 'select * from main.m')).toEqual([{
      ns: '2024/01/02 03:04:05|123456|2024-01-02 03:04:05.123456789|False',
      ms: '2024/01/02 03:04:05|123000|2024-01-02 03:04:05.123000|False',
      s: '2024/01/02 03:04:05|0|2024-01-02 03:04:05|False',
      t: '2024/01/02 03:04:05|123456|2024-01-02 03:04:05.123456|False',
      statement_ns: '2024/01/02 03:04:05|123456|2024-01-02 03:04:05.123456789|False|True',
    }]);
  });
});
