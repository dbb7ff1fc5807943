/** dbt-duckdb's `external_location` patterns, formatted as dbt-duckdb formats them. */
import { describe, it, expect } from 'vitest';
import { externalLocationOf } from './external-location.js';
import type { SourceDefinition } from './types.js';

const source = (settings: { meta?: Record<string, unknown>; config?: Record<string, unknown> }): SourceDefinition =>
  ({ uniqueId: 'source.p.raw.orders', resourceType: 'source', packageName: 'p', sourceName: 'raw', name: 'orders', identifier: 'orders_v2', schema: 'raw', loader: '', description: '', sourceDescription: '', columns: {}, tags: ['daily'], meta: settings.meta ?? {}, config: { enabled: true, ...settings.config }, fqn: [], path: 'models/s.yml', originalFilePath: 'models/s.yml', at: { file: 'models/s.yml', line: 7, column: 1 } }) as SourceDefinition;

describe('external_location', () => {
  it('formats {name}-style patterns with the source fields and its meta and config settings, and quotes a path', () => {
    expect(externalLocationOf(source({ meta: { external_location: 's3://b/{schema}/{name}_{extra}.parquet' }, config: { extra: 'x' } })).sql).toBe("'s3://b/raw/orders_x.parquet'");
    expect(externalLocationOf(source({ config: { external_location: 'data/{identifier}.csv' } })).sql).toBe("'data/orders_v2.csv'");
    // config over meta, as dbt-duckdb merges them
    expect(externalLocationOf(source({ meta: { external_location: 'a/{name}.csv' }, config: { external_location: 'b/{name}.csv' } })).sql).toBe("'b/orders.csv'");
    expect(externalLocationOf(source({ meta: { external_location: "it's/{{literal}}/{name}.csv" } })).sql).toBe("'it''s/{literal}/orders.csv'");
  });

  it('leaves a function call or a quoted string as SQL', () => {
    expect(externalLocationOf(source({ config: { external_location: "read_csv('x/%(name)s.csv', types={'d': 'DATE'})", formatter: 'oldstyle' } })).sql).toBe("read_csv('x/orders.csv', types={'d': 'DATE'})");
    expect(externalLocationOf(source({ config: { external_location: "read_csv_auto('/tmp/${identifier}.csv')", formatter: 'template' } })).sql).toBe("read_csv_auto('/tmp/orders_v2.csv')");
    expect(externalLocationOf(source({ config: { external_location: "'/tmp/$name.csv'", formatter: 'template' } })).sql).toBe("'/tmp/orders.csv'");
    expect(externalLocationOf(source({ config: { external_location: '100%% of %(name)s.csv', formatter: 'oldstyle' } })).sql).toBe("'100% of orders.csv'");
  });

  it('names an unknown field, a bad formatter and a non-string location, with the file and line', () => {
    const missing = externalLocationOf(source({ config: { external_location: "read_csv('f.csv', types={'d': 'DATE'})" } })).diagnostic;
    expect(missing).toMatchObject({ code: 'source-external-location-invalid', file: 'models/s.yml', line: 7 });
    expect(missing?.message).toContain("'d': 'DATE'");
    expect(missing?.hint).toContain('formatter: oldstyle');
    expect(externalLocationOf(source({ config: { external_location: 'x/{nope}.csv' } })).diagnostic?.message).toContain("names 'nope'");
    expect(externalLocationOf(source({ config: { external_location: 'x.csv', formatter: 'fstring' } })).diagnostic?.message).toContain("formatter 'fstring'");
    expect(externalLocationOf(source({ config: { external_location: 3 } })).diagnostic?.code).toBe('source-external-location-invalid');
    expect(externalLocationOf(source({ meta: { owner: 'x' } }))).toEqual({});
  });
});
