/**
 * dbt's `sql_header` on BigQuery (the local BigQuery server, loopback only): the header runs before the
 * model's `create` in one script, as dbt-bigquery's create_table_as / create_view_as put it, so a
 * `create temp function` in the header is callable from the model's query.
 */
import { describe, it, expect } from 'vitest';
import { writeProject } from '../../test-support/fixture-project.js';
import type { LocalBigQuery } from './local/local-bigquery-server.js';
import type { LocalGcs } from './local/local-gcs-server.js';
import { withLoopbackBigQuery } from '../../test-support/loopback-bigquery.js';
import { analyzerPlatformGap, loopbackBigQueryProfile, queryRows } from '../../test-support/local-bigquery-client.js';
import { plan, run, seed } from '../../api/index.js';
import { dryRunWithHeader, splitStatements } from './bigquery-dry-run-header.js';
import { bigqueryDialect } from './bigquery-dialect.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';

const HEADER = `{% call set_sql_header(config) %}
create temp function doubled(x int64) returns int64 as (x * 2);
{%- endcall %}`;

describe('sql_header in BigQuery statements', () => {
  const rel = { database: 'acme', schema: 'care', identifier: 't' };
  it('comes first in create table and create view, and not at all without one', () => {
    const header = 'create temp function f(x int64) as (x + 1);';
    expect(bigqueryDialect.createTableAs(rel, 'select f(1) as n', { config: { sql_header: `  ${header}\n` } })).toMatch(/^create temp function f\(x int64\) as \(x \+ 1\);\ncreate or replace table `acme`.`care`.`t`\n/);
    expect(bigqueryDialect.createViewAs(rel, 'select f(1) as n', { config: { sql_header: header } })).toMatch(/^create temp function f.*;\ncreate or replace view `acme`/);
    expect(bigqueryDialect.createTableAs(rel, 'select 1 as n', { config: { sql_header: '  ' } })).toMatch(/^create or replace table/);
  });
});

describe("a dry run's sql_header", () => {
  it('splits a header at the semicolons outside strings, quoted names and comments', () => {
    const header = "-- helpers; shared\ncreate temp function f(s string) as (concat(s, ';', '''a;b'''));\ndeclare `x;y` int64 default 1; /* not; here */\nset @@query_label = 'k:v;w';";
    expect(splitStatements(header)).toEqual([
      "-- helpers; shared\ncreate temp function f(s string) as (concat(s, ';', '''a;b'''))",
      'declare `x;y` int64 default 1',
      "/* not; here */\nset @@query_label = 'k:v;w'",
    ]);
  });

  it('sends only the temp functions before the query (not a script), naming what it leaves out', () => {
    const header = 'create temp function f(x int64) as (x + 1);\ndeclare d date default current_date();\nCREATE OR REPLACE TEMPORARY FUNCTION g() AS (2)';
    expect(dryRunWithHeader('select f(1)', header)).toEqual({
      sql: 'create temp function f(x int64) as (x + 1);\nCREATE OR REPLACE TEMPORARY FUNCTION g() AS (2);\nselect f(1)',
      leftOut: ['declare d date default current_date()'],
    });
    expect(dryRunWithHeader('select 1', 'set @@query_label = "a:b";')).toEqual({ sql: 'select 1', leftOut: ['set @@query_label = "a:b"'] });
  });
});

describe.skipIf(analyzerPlatformGap)('sql_header on BigQuery (loopback BigQuery)', () => {
  let bq: LocalBigQuery;
  let gcs: LocalGcs;
  const dirs = withLoopbackBigQuery((s) => ({ bq, gcs } = s));

  it('a temp function from the header is called by a table and an incremental model (twice); a view may not call one', async () => {
    const dir = writeProject({
      'project.yml': 'name: p\nprofile: p\n',
      'profiles.yml': loopbackBigQueryProfile({ bigquery: bq.endpoint, gcs: gcs.endpoint }, 'acme-header'),
      'models/doubled_table.sql': `{{ config(materialized='table') }}\n${HEADER}\nselect doubled(21) as n`,
      'models/plain_view.sql': `{{ config(materialized='view') }}\n${HEADER}\nselect n + 1 as n from {{ ref('doubled_table') }}`,
      'models/doubled_incr.sql': `{{ config(materialized='incremental', unique_key='id') }}\n${HEADER}\nselect 1 as id, doubled({{ 5 if is_incremental() else 4 }}) as n`,
    }, false);
    dirs.push(dir);
    for (let i = 0; i < 2; i++) {
      const r = await run({ projectDir: dir, profilesDir: dir });
      expect(r.results.filter((x) => x.status !== 'success').map((x) => `${x.uniqueId}: ${x.message}`)).toEqual([]);
      expect(r.exitCode).toBe(0);
    }
    expect(await queryRows(bq.endpoint, 'select n from `acme-header.shop.doubled_table`')).toEqual([{ n: '42' }]);
    expect(await queryRows(bq.endpoint, 'select n from `acme-header.shop.plain_view`')).toEqual([{ n: '43' }]);
    expect(await queryRows(bq.endpoint, 'select id, n from `acme-header.shop.doubled_incr`')).toEqual([{ id: '1', n: '10' }]);
  });

  it('a view that calls a temp function fails as on BigQuery, and the temp function is gone after its job', async () => {
    const dir = writeProject({
      'project.yml': 'name: p\nprofile: p\n',
      'profiles.yml': loopbackBigQueryProfile({ bigquery: bq.endpoint, gcs: gcs.endpoint }, 'acme-header-view'),
      'models/doubled_view.sql': `{{ config(materialized='view') }}\n${HEADER}\nselect doubled(2) as n`,
      'models/later.sql': `{{ config(materialized='table') }}\nselect 1 as n`,
    }, false);
    dirs.push(dir);
    const r = await run({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode).toBe(1);
    expect(r.results.find((x) => x.uniqueId === 'model.p.doubled_view')?.message).toMatch(/Temporary function doubled cannot be referenced in a view definition/);
    await expect(queryRows(bq.endpoint, 'select doubled(2) as n')).rejects.toThrow(/Function not found: doubled/);
  });

  it('a temp function computes with its declared types, and what the local server cannot run is refused by name', async () => {
    // NUMERIC arithmetic (exact), FLOAT64 from an INT64 argument, the inferred return type, a struct argument.
    const sql = `create temp function quarter(x numeric) returns numeric as (x / 4);
create temp function halved(x float64) as (x / 2);
create temp function label(s struct<code string, n int64>) as (concat(s.code, '-', cast(s.n as string)));
select quarter(1) as q, halved(3) as h, label(struct('ab' as code, 7 as n)) as l`;
    expect(await queryRows(bq.endpoint, sql)).toEqual([{ q: '0.25', h: '1.5', l: 'ab-7' }]);
    await expect(queryRows(bq.endpoint, 'create temp function js(x int64) returns int64 language js as "return x;";\nselect js(1) as n')).rejects.toThrow(/not translated to DuckDB: JavaScript functions/);
    await expect(queryRows(bq.endpoint, 'create temp function any_of(x any type) as (x);\nselect any_of(1) as n')).rejects.toThrow(/does not support templated functions/);
  });

  it("plan (the cost preview) estimates a model calling its header's temp function; a header's other statements are left out and named", async () => {
    const dir = writeProject({
      'project.yml': 'name: p\nprofile: p\n',
      'profiles.yml': loopbackBigQueryProfile({ bigquery: bq.endpoint, gcs: gcs.endpoint }, 'acme-header-plan'),
      'seeds/base_orders.csv': 'n\n21\n4\n8\n',
      'models/doubled_orders.sql': `{{ config(materialized='table') }}\n${HEADER}\nselect doubled(n) as n from {{ ref('base_orders') }}`,
      'models/dated_orders.sql': "{{ config(materialized='table') }}\n{% call set_sql_header(config) %}\ndeclare cutoff int64 default 5;\ncreate temp function tripled(x int64) as (x * 3);\n{%- endcall %}\nselect tripled(n) as n from {{ ref('base_orders') }}",
    }, false);
    dirs.push(dir);
    expect((await seed({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    // The local server counts a loaded table's bytes (what a dry run reading it reports).
    const bytes = bq.tables.get('acme-header-plan.shop.base_orders')!.numBytes;
    expect(bytes).toBeGreaterThan(0);
    const r = await plan({ projectDir: dir, profilesDir: dir, select: ['doubled_orders', 'dated_orders'] });
    expect(r.nodes.map((n) => [n.name, n.bytes, n.error])).toEqual([['dated_orders', bytes, undefined], ['doubled_orders', bytes, undefined]]);
    expect(r.exitCode).toBe(0);
    expect(r.nodes.find((n) => n.name === 'doubled_orders')?.caveat).toBeUndefined();
    expect(r.nodes.find((n) => n.name === 'dated_orders')?.caveat).toMatch(/^estimated without the sql_header's "declare cutoff int64 default 5" \(a dry run of a multi-statement query stops at its first DDL statement/);
  });
});
