/**
 * Partitioned tables on BigQuery, against the local BigQuery (which enforces BigQuery's rules on them):
 * dbt-bigquery's `_dbt_max_partition` for dynamic insert_overwrite (in the build and in its plan), a table with `require_partition_filter`
 * (no unfiltered query of it, the row count from the job), and a change of `partition_by` / `cluster_by`
 * (BigQuery refuses `create or replace` with another spec: the new table is built aside, then swapped in).
 */
import { describe, it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalBigQuery } from './local/local-bigquery-server.js';
import { bigQueryOutput, bigQueryProfile, useLocalBigQuery } from '../../test-support/local-bigquery-project.js';
import { analyzerPlatformGap, queryRows } from '../../test-support/local-bigquery-client.js';
import { build, plan } from '../../api/index.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';

const READINGS_1 = 'sensor,read_on,level\nk1,2026-03-01,4\nk2,2026-03-02,5\nk3,2026-03-03,6\n';
// 03-03 is read again (k3 changed, k4 new), 03-04 is new; 03-01 and 03-02 come again changed but are older than the newest day.
const READINGS_2 = 'sensor,read_on,level\nk1,2026-03-01,40\nk2,2026-03-02,50\nk3,2026-03-03,60\nk4,2026-03-03,7\nk5,2026-03-04,8\n';

describe.skipIf(analyzerPlatformGap)('partitioned tables on BigQuery (local BigQuery)', () => {
  let bq: LocalBigQuery;
  let dir: string;
  const rows = (sql: string): Promise<Record<string, unknown>[]> => queryRows(bq.endpoint, sql, { project: 'acme-parts' });
  const failures = (r: Awaited<ReturnType<typeof build>>): string[] => r.results.filter((x) => !['success', 'pass'].includes(x.status)).map((x) => `${x.uniqueId}: ${x.message}`);
  useLocalBigQuery((endpoint) => ({
    'project.yml': 'name: parts\nprofile: parts\nseeds:\n  parts:\n    readings:\n      +column_types: {sensor: STRING, read_on: DATE, level: INT64}\n',
    'profiles.yml': bigQueryProfile('parts', 'prod', bigQueryOutput('prod', { endpoint, project: 'acme-parts', dataset: 'lake', token: 'ya29.parts' })),
    'seeds/readings.csv': READINGS_1,
    'models/levels_required.sql': "{{ config(materialized='table', partition_by={'field': 'read_on', 'data_type': 'date'}, cluster_by=['sensor'], require_partition_filter=true) }}\nselect sensor, read_on, level from {{ ref('readings') }}",
    'models/levels_layout.sql': "{{ config(materialized='table', partition_by={'field': 'read_on', 'data_type': 'date', 'granularity': var('grain', 'day')}, cluster_by=var('keys', ['sensor'])) }}\nselect sensor, read_on, {{ var('level', 'level') }} as level from {{ ref('readings') }}",
    'models/levels_dynamic.sql': "{{ config(materialized='incremental', incremental_strategy='insert_overwrite', partition_by={'field': 'read_on', 'data_type': 'date'}) }}\nselect sensor, read_on, level from {{ ref('readings') }}\n{% if is_incremental() %}where read_on >= _dbt_max_partition{% endif %}",
    'models/levels_bumped.sql': "{{ config(materialized='incremental', incremental_strategy='insert_overwrite', partition_by={'field': 'read_on', 'data_type': 'date'}) }}\n{% call set_sql_header(config) %}\ncreate temp function bump(x int64) as (x + 1);\n{%- endcall %}\nselect sensor, read_on, bump(level) as level from {{ ref('readings') }}\n{% if is_incremental() %}where read_on >= _dbt_max_partition{% endif %}",
  }), (local) => ({ bq, dir } = local));

  it('a table with require_partition_filter: no unfiltered query of it, its rows from the job, as dbt-bigquery', async () => {
    const first = await build({ projectDir: dir, profilesDir: dir, select: ['readings', 'levels_required'] });
    expect(failures(first)).toEqual([]);
    expect(first.results.find((r) => r.uniqueId === 'model.parts.levels_required')?.adapterResponse?.rows_affected).toBe(3);
    // The local BigQuery refuses what BigQuery refuses, in its words, and takes a filter on the partition column.
    const unfiltered = await rows('select count(*) as n from `acme-parts`.`lake`.`levels_required`').catch((e: Error) => e.message);
    expect(unfiltered).toBe("invalidQuery: Cannot query over table 'acme-parts.lake.levels_required' without a filter over column(s) 'read_on' that can be used for partition elimination at [1:1]");
    expect(await rows('select count(*) as n from `acme-parts`.`lake`.`levels_required` where read_on is not null')).toEqual([{ n: '3' }]);
    // Writing into it reads nothing of it: an INSERT is accepted; its query's scan of the table still needs the filter.
    await rows("insert into `acme-parts`.`lake`.`levels_required` (sensor, read_on, level) values ('k9', date '2026-03-09', 9)");
    const copied = await rows('insert into `acme-parts`.`lake`.`levels_required` (sensor, read_on, level) select sensor, read_on, level from `acme-parts`.`lake`.`levels_required`').catch((e: Error) => e.message);
    expect(copied).toContain("Cannot query over table 'acme-parts.lake.levels_required' without a filter over column(s) 'read_on'");
    expect(await rows('select count(*) as n from `acme-parts`.`lake`.`levels_required` where read_on is not null')).toEqual([{ n: '4' }]);
    // A second build replaces it (same spec) and counts its rows the same way.
    const second = await build({ projectDir: dir, profilesDir: dir, select: ['levels_required'] });
    expect(failures(second)).toEqual([]);
    expect(second.results[0]?.adapterResponse?.rows_affected).toBe(3);
  });

  it('a changed partition_by or cluster_by: built aside, then swapped in (BigQuery refuses create or replace); a failed build keeps the old table', async () => {
    const layout = async (): Promise<unknown> => {
      const meta = (await (await fetch(`${bq.endpoint}/bigquery/v2/projects/acme-parts/datasets/lake/tables/levels_layout`)).json()) as Record<string, any>;
      return [meta.timePartitioning, meta.clustering?.fields];
    };
    expect(failures(await build({ projectDir: dir, profilesDir: dir, select: ['levels_layout'] }))).toEqual([]);
    expect(await layout()).toEqual([{ type: 'DAY', field: 'read_on' }, ['sensor']]);
    // The rule itself: a plain replace with another spec is refused, as by BigQuery.
    const replaced = await rows('create or replace table `acme-parts`.`lake`.`levels_layout` partition by date_trunc(read_on, month) as select * from `acme-parts`.`lake`.`readings`').catch((e: Error) => e.message);
    expect(replaced).toBe('invalidQuery: Cannot replace a table with a different partitioning spec. Instead, DROP the table, and then recreate it. New partitioning spec is interval(type:month,field:read_on) and existing spec is interval(type:day,field:read_on) clustering(sensor) at [1:1]');
    // A changed spec whose query fails at run time: the old table, its spec and rows, stay.
    const broken = await build({ projectDir: dir, profilesDir: dir, select: ['levels_layout'], vars: { grain: 'month', level: "cast('x' || sensor as int64)" } });
    expect(failures(broken)).toHaveLength(1);
    expect(await layout()).toEqual([{ type: 'DAY', field: 'read_on' }, ['sensor']]);
    expect(await rows('select count(*) as n from `acme-parts`.`lake`.`levels_layout`')).toEqual([{ n: '3' }]);
    const monthly = await build({ projectDir: dir, profilesDir: dir, select: ['levels_layout'], vars: { grain: 'month' } });
    expect(failures(monthly)).toEqual([]);
    expect(await layout()).toEqual([{ type: 'MONTH', field: 'read_on' }, ['sensor']]);
    const reclustered = await build({ projectDir: dir, profilesDir: dir, select: ['levels_layout'], vars: { grain: 'month', keys: ['level', 'sensor'] } });
    expect(failures(reclustered)).toEqual([]);
    expect(await layout()).toEqual([{ type: 'MONTH', field: 'read_on' }, ['level', 'sensor']]);
    expect(await rows('select sensor, level from `acme-parts`.`lake`.`levels_layout` order by sensor')).toEqual([{ sensor: 'k1', level: '4' }, { sensor: 'k2', level: '5' }, { sensor: 'k3', level: '6' }]);
    expect(bq.tables.has('acme-parts.lake.levels_layout__strata_tmp')).toBe(false);
  });

  it('_dbt_max_partition is declared as dbt-bigquery does: only the newest day onwards is replaced', async () => {
    expect(failures(await build({ projectDir: dir, profilesDir: dir, select: ['levels_dynamic'] }))).toEqual([]);
    writeFileSync(join(dir, 'seeds', 'readings.csv'), READINGS_2);
    expect(failures(await build({ projectDir: dir, profilesDir: dir }))).toEqual([]);
    expect(await rows('select sensor, cast(read_on as string) as d, level from `acme-parts`.`lake`.`levels_dynamic` order by sensor')).toEqual([
      { sensor: 'k1', d: '2026-03-01', level: '4' }, { sensor: 'k2', d: '2026-03-02', level: '5' },
      { sensor: 'k3', d: '2026-03-03', level: '60' }, { sensor: 'k4', d: '2026-03-03', level: '7' }, { sensor: 'k5', d: '2026-03-04', level: '8' },
    ]);
  });

  it('plan (build --dry-run) of an incremental run declares _dbt_max_partition as the build does, and estimates both reads', async () => {
    if (!bq.tables.has('acme-parts.lake.levels_dynamic')) expect(failures(await build({ projectDir: dir, profilesDir: dir, select: ['readings', 'levels_dynamic'] }))).toEqual([]);
    const r = await plan({ projectDir: dir, profilesDir: dir, select: ['levels_dynamic'] });
    const [node] = r.nodes;
    expect([node?.action, node?.error, node?.caveat]).toEqual(['incremental (insert_overwrite)', undefined, undefined]);
    // The declaration reads the table's newest partition, the query the seed: a dry run counts both tables' bytes here.
    const bytes = (t: string): number => bq.tables.get(`acme-parts.lake.${t}`)!.numBytes;
    expect(node?.bytes).toBe(bytes('readings') + bytes('levels_dynamic'));
    expect(r.exitCode).toBe(0);
    // A full refresh builds the table anew, without the variable: nothing is declared.
    const full = await plan({ projectDir: dir, profilesDir: dir, select: ['levels_dynamic'], fullRefresh: true });
    expect([full.nodes[0]?.action, full.nodes[0]?.error, full.nodes[0]?.bytes]).toEqual(['incremental (first build)', undefined, bytes('readings')]);
  });

  it("plan of an incremental run with _dbt_max_partition and a header's temp functions: sent as the build sends them, saying what BigQuery's dry run may leave out", async () => {
    if (!bq.tables.has('acme-parts.lake.levels_bumped')) expect(failures(await build({ projectDir: dir, profilesDir: dir, select: ['readings', 'levels_bumped'] }))).toEqual([]);
    const r = await plan({ projectDir: dir, profilesDir: dir, select: ['levels_bumped'] });
    expect(r.nodes[0]?.error).toBeUndefined();
    expect(r.nodes[0]?.caveat).toMatch(/^the declaration of _dbt_max_partition makes this dry run a script, whose dry run stops at its first DDL statement \(the sql_header's temp functions\)/);
  });
});
