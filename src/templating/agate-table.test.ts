import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdbAdapter } from '../adapters/duckdb/duckdb-adapter.js';
import type { Connection, Warehouse } from '../adapters/contract.js';
import { createTemplateEngine } from './index.js';
import type { RenderNode, RunRenderContext } from './types.js';
import { quotedRunContext } from '../test-support/bare-render.js';

// run_query results read from a real (in-memory) DuckDB, through the engine, as package macros read them.
let warehouse: Warehouse;
let conn: Connection;
beforeAll(async () => {
  warehouse = await duckdbAdapter.open({ type: 'duckdb', name: 'dev', schema: 'main', threads: 1, settings: { path: ':memory:' } }, { projectRoot: '.' });
  conn = await warehouse.connect();
  await conn.execute(
    "create table t as select * from (values (1, 'a', timestamp '2024-01-02 03:04:05.123456', date '2024-02-29', 1.5::double), (2, 'b', null, null, null)) v(id, name, ts, day, amount)",
  );
});
afterAll(async () => warehouse.close());

const engine = createTemplateEngine({ projectName: 'p', adapterType: 'duckdb', target: { name: 'dev', schema: 'main', type: 'duckdb' }, vars: {}, env: {}, docs: {}, macroFiles: [] });
const node: RenderNode = { uniqueId: 'model.p.m', name: 'm', resourceType: 'model', packageName: 'p', file: 'models/m.sql', fqn: ['p', 'm'], config: { materialized: 'view' } };
const render = (src: string): Promise<string> => {
  const ctx: RunRenderContext = quotedRunContext({
    warehouse: { query: (sql) => conn.query(sql), getColumns: async () => [], relationExists: async () => true },
  });
  return engine.runRender(node, `{% set t = run_query('select * from t order by id') %}${src}`, ctx).then((s) => s.trim());
};

describe('run_query tables as agate tables', () => {
  it('rows read by index (negative too), by name, as attributes, and as tuples', async () => {
    expect(await render("{{ t.rows[0][0] }}|{{ t.rows[0]['name'] }}|{{ t.rows[0].name }}|{{ t.rows[-1][0] }}|{{ t.rows[0][-1] }}|{{ t.rows[1][1:] }}|{{ t.rows[1] }}|{{ t.rows[0] | length }}")).toBe(
      "1|a|a|2|1.5|('b', None, None, None)|(2, 'b', None, None, None)|5",
    );
    expect(await render("{{ t.rows[0].count(1) }}|{{ t.rows[1].index('b') }}|{{ t.rows[1] | tojson }}|{{ t.rows | map(attribute='name') | join(',') }}|{{ t.rows | map(attribute=0) | list }}|{{ 'a' in t.rows[0] }}")).toBe(
      '1|1|[2, "b", null, null, null]|a,b|[1, 2]|True',
    );
  });

  it("rows are agate's mapped sequences: items(), keys(), values(), get()", async () => {
    expect(await render("{% for k, v in t.rows[1].items() %}{{ k }}={{ v }};{% endfor %}|{{ t.rows[0].keys() | join(',') }}|{{ t.rows[1].values() }}|{{ t.rows[0].get('name') }}|{{ t.rows[0].get('nope') }}|{{ t.rows[0].get('nope', 'd') }}")).toBe(
      'id=2;name=b;ts=None;day=None;amount=None;|id,name,ts,day,amount|[2, \'b\', None, None, None]|a|None|d',
    );
  });

  it('a column named like a method keeps its value', async () => {
    const src = "{% set r = run_query('select 1 as items, 2 as get, 3 as keys, 4 as \"values\", 5 as count') %}{{ r.rows[0].items }}|{{ r.rows[0]['get'] }}|{{ r.rows[0].keys }}|{{ r.rows[0]['values'] }}|{{ r.rows[0].count }}";
    expect(await render(src)).toBe('1|2|3|4|5');
  });

  it('dates and timestamps are Python date / datetime objects, nulls None, other types as they are', async () => {
    expect(await render("{{ t.rows[0]['ts'].strftime('%Y-%m-%d %H:%M:%S.%f') }}|{{ t.rows[0].ts.year }}|{{ t.rows[0]['day'].isoformat() }}|{{ t.rows[0]['day'] }}|{{ t.rows[1]['ts'] }}|{{ t.columns['day'].values()[0].strftime('%d/%m') }}|{{ t.rows[0].amount * 2 }}|{{ t.rows[0].id + 1 }}")).toBe(
      '2024-01-02 03:04:05.123456|2024|2024-02-29|2024-02-29|None|29/02|3.0|2',
    );
  });

  it("columns are agate's mapped sequences of columns, each a sequence of its values", async () => {
    expect(await render("{{ t.columns[0].values() }}|{{ t.columns['name'] | list }}|{{ t.columns[-1].name }}|{{ t.columns | length }}|{{ 'name' in t.columns }}|{{ t.columns.keys() | join(',') }}|{{ t.columns.get('nope', 'd') }}|{{ t.columns[0][-1] }}|{{ t.columns[0] | length }}|{{ 2 in t.columns[0] }}|{{ t.columns[1].data_type }}|{% for k, c in t.columns.items() %}{{ k }}:{{ c.name }};{% endfor %}|{% for c in t.columns %}{{ c.name }}{% endfor %}")).toBe(
      '(1, 2)|[\'a\', \'b\']|amount|5|True|id,name,ts,day,amount|d|2|2|True|VARCHAR|id:id;name:name;ts:ts;day:day;amount:amount;|idnametsdayamount',
    );
  });

  it('tables iterate their rows, count them, rename their columns and print as agate does', async () => {
    expect(await render("{% for row in t %}{{ row.id }}{% endfor %}|{{ t | length }}|{{ t.rows | length }}|{{ t.column_names | join(',') }}|{{ t.column_types | join(',') }}|{{ t.print_table() }}|{{ t }}")).toBe(
      '12|2|2|id,name,ts,day,amount|INTEGER,VARCHAR,TIMESTAMP,DATE,DOUBLE||<agate.Table of 2 rows>',
    );
    const renamed = "{% set r = t.rename(['a', 'b']) %}{{ r.column_names | join(',') }}:{{ r.rows[0]['a'] }}{{ r.rows[0].b }}:{{ r.rows[0].items() | list }}:{{ r.columns['a'] | list }}:{{ t.rows[0]['id'] }}";
    expect(await render(renamed)).toBe("a,b,ts,day,amount:1a:[('a', 1), ('b', 'a'), ('ts', 2024-01-02 03:04:05.123456), ('day', 2024-02-29), ('amount', 1.5)]:[1, 2]:1");
    expect(await render("{% set r = t.rename({'name': 'label'}) %}{{ r.column_names | join(',') }}:{{ r.rows[1].label }}:{{ r.rows[1].get('name', 'gone') }}")).toBe('id,label,ts,day,amount:b:gone');
  });

  it("statement results share the table: load_result(...)['data'] and ['table']", async () => {
    const src = "{% call statement('s', fetch_result=True) %}select id, day from t order by id{% endcall %}{% set r = load_result('s') %}{{ r['data'][0][0] }}|{{ r['data'][0]['day'] }}|{{ r['table'].columns[0].values() }}|{{ r['response'].rows_affected }}";
    expect(await render(src)).toBe('1|2024-02-29|(1, 2)|2');
  });

  it('converts every date and timestamp of a long result, repeated or distinct', async () => {
    const src = "{% set r = run_query('select date \\'2024-01-01\\' + cast(i % 3 as integer) as d, timestamp \\'2024-01-01\\' + to_seconds(i) as ts, i from range(5000) t(i) order by i') %}{% set ns = namespace(days=0) %}{% for row in r %}{% set ns.days = ns.days + row.d.day %}{% endfor %}{{ ns.days }}|{{ r.columns['d'].values()[4999].isoformat() }}|{{ r.rows[4999]['ts'].strftime('%H:%M:%S') }}|{{ r.rows[4097].ts.minute }}";
    expect(await render(src)).toBe('9999|2024-01-02|01:23:19|8');
  });

  it('an empty result has its columns and no rows', async () => {
    expect(await render("{% set e = run_query('select * from t where false') %}{{ e.rows | length }}|{{ e.column_names | join(',') }}|{{ e.columns[0].values() }}|{% for r in e %}x{% endfor %}")).toBe('0|id,name,ts,day,amount|()|');
  });
});
