/**
 * `adapter.get_columns_in_relation` on BigQuery gives dbt-bigquery's BigQueryColumn: `data_type` the whole
 * type (`ARRAY<INT64>`, `STRUCT<…>`, `ARRAY<STRUCT<…>>`), `dtype` the type alone, `mode`, `fields` and
 * `flatten()`; so a model that casts each column to its `data_type` (as dbt_utils' union_relations does)
 * builds. Against the local BigQuery.
 */
import { describe, it, expect } from 'vitest';
import type { LocalBigQuery } from './local/local-bigquery-server.js';
import { bigQueryOutput, bigQueryProfile, useLocalBigQuery } from '../../test-support/local-bigquery-project.js';
import { analyzerPlatformGap, queryRows } from '../../test-support/local-bigquery-client.js';
import { build, runOperation } from '../../api/index.js';
import { CapturingReporter } from '../../diagnostics/index.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';

describe.skipIf(analyzerPlatformGap)('get_columns_in_relation on BigQuery (local BigQuery)', () => {
  let bq: LocalBigQuery;
  let dir: string;
  useLocalBigQuery((endpoint) => ({
    'project.yml': 'name: depot\nprofile: depot\n',
    'profiles.yml': bigQueryProfile('depot', 'local', bigQueryOutput('local', { endpoint, project: 'acme-cols', dataset: 'depot', token: 'ya29.columns' })),
    'models/stock.sql': "{{ config(materialized='table') }}\nselect 4 as sku, struct('bolt' as part, 12 as qty) as item, [3, 5] as bins, [struct(1 as shelf)] as places",
    'models/stock_copy.sql':
      "{{ config(materialized='table') }}\n{% set cols = adapter.get_columns_in_relation(ref('stock')) if execute else [] %}\nselect {% for c in cols %}cast({{ c.quoted }} as {{ c.data_type }}) as {{ c.quoted }}{{ ', ' if not loop.last }}{% endfor %}{% if not cols %}1 as sku{% endif %} from {{ ref('stock') }}",
    'macros/describe.sql':
      "{% macro describe(name) %}{% for c in adapter.get_columns_in_relation(ref(name)) %}{% do log(c.name ~ ' | ' ~ c.data_type ~ ' | ' ~ c.dtype ~ ' | ' ~ c.mode ~ ' | ' ~ (c.fields | map(attribute='name') | join(',')) ~ ' | ' ~ (c.flatten() | map(attribute='name') | join(',')), info=true) %}{% endfor %}{% endmacro %}",
  }), (local) => ({ bq, dir } = local));

  it("reports nested columns as BigQueryColumn does, and a model casting to each data_type builds", async () => {
    const built = await build({ projectDir: dir, profilesDir: dir });
    expect(built.results.map((r) => `${r.uniqueId} ${r.status}${r.status === 'success' ? '' : ` ${r.message}`}`)).toEqual(['model.depot.stock success', 'model.depot.stock_copy success']);
    expect(await queryRows(bq.endpoint, 'select sku, item.qty as qty, array_length(bins) as n, places[offset(0)].shelf as shelf from `acme-cols`.`depot`.`stock_copy`', { project: 'acme-cols' })).toEqual([{ sku: '4', qty: '12', n: '2', shelf: '1' }]);
    const reporter = new CapturingReporter();
    const op = await runOperation({ projectDir: dir, profilesDir: dir, macro: 'describe', args: { name: 'stock' }, reporter });
    expect(op.exitCode).toBe(0);
    const logged = reporter.events.flatMap((e) => (e.type === 'info' ? [e.message] : []));
    expect(logged.filter((l) => l.includes(' | '))).toEqual([
      'sku | INT64 | INT64 | NULLABLE |  | sku',
      'item | STRUCT<`part` STRING, `qty` INT64> | RECORD | NULLABLE | part,qty | item.part,item.qty',
      'bins | ARRAY<INT64> | INT64 | REPEATED |  | bins',
      'places | ARRAY<STRUCT<`shelf` INT64>> | RECORD | REPEATED | shelf | places.shelf',
    ]);
  });
});
