/**
 * dbt-bigquery's documentation and access configs on the loopback BigQuery: `persist_docs` column descriptions
 * on a view, `grant_access_to` (the view authorized on another dataset), what tables.get then answers
 * (description, labels, partitioning, clustering), and catalog.json as dbt-bigquery's catalog writes it.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectsRemovedAfterAll } from '../../test-support/temp-projects.js';
import type { LocalBigQuery } from './local/local-bigquery-server.js';
import { bigQueryOutput, bigQueryProfile, useLocalBigQuery } from '../../test-support/local-bigquery-project.js';
import { analyzerPlatformGap, getTable } from '../../test-support/local-bigquery-client.js';
import { build, docsGenerate, runOperation } from '../../api/index.js';
import { readCatalogColumns } from '../../api/project-lineage.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';

const profile = (endpoint: string): string => bigQueryProfile('atlas', 'dev', bigQueryOutput('dev', { endpoint, project: 'orbit-test', dataset: 'core', token: 'tok-never-shown', threads: 2 }));

function project(endpoint: string): Record<string, string> {
  return {
    'project.yml': "name: atlas\nprofile: atlas\non-run-start:\n  - \"create schema if not exists `orbit-test`.`partner_share`\"\n",
    'profiles.yml': profile(endpoint),
    'models/stations.sql': "{{ config(materialized='table', partition_by={'field': 'opened_on', 'data_type': 'date', 'granularity': 'month'}, cluster_by=['code', 'region'], labels={'tier': 'gold'}, persist_docs={'relation': true, 'columns': true}) }}\nselect 'KX' as code, 'north' as region, date '2025-03-04' as opened_on union all select 'QB', 'south', date '2025-07-01'",
    'models/station_feed.sql': "{{ config(materialized='view', persist_docs={'relation': true, 'columns': true}, grant_access_to=[{'project': 'orbit-test', 'dataset': 'partner_share'}]) }}\nselect code, region from {{ ref('stations') }}",
    'models/station_parts.sql': "{{ config(materialized='table') }}\nselect 'KX' as code, struct(2 as zone, struct('Oslo' as city, 'NO' as country) as place) as info, [struct(1 as n, 'x' as label)] as parts",
    'models/schema.yml': [
      'version: 2', 'models:',
      '  - name: stations', '    description: Every station we run', '    columns:', '      - name: code', '        description: Three-letter station code',
      '  - name: station_feed', '    description: What partners read', '    columns:', '      - name: region', '        description: Where the station sits', '',
    ].join('\n'),
  };
}

describe.skipIf(analyzerPlatformGap)('persist_docs, grant_access_to and the catalog on BigQuery', () => {
  let bq: LocalBigQuery;
  let dir: string;
  useLocalBigQuery(project, (local) => ({ bq, dir } = local));

  it('sets a view’s column descriptions and authorizes it once on the listed dataset', async () => {
    for (let run = 0; run < 2; run++) {
      const result = await build({ projectDir: dir, profilesDir: dir });
      expect(result.exitCode, JSON.stringify(result.results.map((r) => r.message))).toBe(0);
    }
    const view = await getTable(bq.endpoint, 'orbit-test.core.station_feed');
    expect(view.schema.fields).toEqual([{ name: 'code', type: 'STRING', mode: 'NULLABLE' }, { name: 'region', type: 'STRING', mode: 'NULLABLE', description: 'Where the station sits' }]);
    expect(view.description).toBe('What partners read');
    const dataset = await (await fetch(`${bq.endpoint}/bigquery/v2/projects/orbit-test/datasets/partner_share`)).json();
    // Two builds, one entry: an entry already there is not added again.
    expect(dataset.access).toEqual([{ view: { projectId: 'orbit-test', datasetId: 'core', tableId: 'station_feed' } }]);
  });

  it('tables.get answers with the description, labels, partitioning and clustering the DDL set', async () => {
    const table = await getTable(bq.endpoint, 'orbit-test.core.stations');
    expect(table).toMatchObject({ type: 'TABLE', description: 'Every station we run', labels: { tier: 'gold' }, timePartitioning: { type: 'MONTH', field: 'opened_on' }, clustering: { fields: ['code', 'region'] }, numRows: '2' });
    expect(table.schema.fields[0]).toEqual({ name: 'code', type: 'STRING', mode: 'NULLABLE', description: 'Three-letter station code' });
  });

  it('catalog.json gives dbt-bigquery’s types, comments and stats', async () => {
    const out = await docsGenerate({ projectDir: dir, profilesDir: dir });
    expect(out.exitCode).toBe(0);
    const catalog = JSON.parse(readFileSync(join(dir, 'target', 'catalog.json'), 'utf8'));
    const table = catalog.nodes['model.atlas.stations'];
    expect(table.metadata).toMatchObject({ type: 'table', comment: 'Every station we run', database: 'orbit-test', schema: 'core', name: 'stations' });
    expect(table.stats.num_rows).toEqual({ id: 'num_rows', label: '# Rows', value: 2, include: true, description: 'Approximate count of rows in this table' });
    expect(table.stats.num_bytes).toMatchObject({ label: 'Approximate Size', include: true });
    expect(table.stats.partitioning_type).toEqual({ id: 'partitioning_type', label: 'Partitioned By', value: 'opened_on', include: true, description: 'The partitioning column for this table' });
    expect(table.stats.clustering_fields).toMatchObject({ label: 'Clustered By', value: 'code, region', include: true });
    expect(table.stats.has_stats).toMatchObject({ value: true, include: false });
    expect(table.columns.code.comment).toBe('Three-letter station code');
    const view = catalog.nodes['model.atlas.station_feed'];
    expect(view.metadata).toMatchObject({ type: 'view', comment: 'What partners read' });
    expect(view.stats.num_rows.include).toBe(false);
    expect(view.stats.has_stats.value).toBe(false);
    // A column without a description: dbt-bigquery's catalog gives '' (coalesce(column_comment, '')), not null.
    expect(table.columns.region).toEqual({ type: 'STRING', index: 2, name: 'region', comment: '' });
  });

  it('catalog.json lists nested fields as dbt-bigquery does: parent.child, own types, numbered by column then path', async () => {
    const catalog = JSON.parse(readFileSync(join(dir, 'target', 'catalog.json'), 'utf8'));
    const columns = Object.values(catalog.nodes['model.atlas.station_parts'].columns as Record<string, { name: string; type: string; index: number; comment: unknown }>);
    expect(columns.map((c) => [c.index, c.name, c.type, c.comment])).toEqual([
      [1, 'code', 'STRING', ''],
      [2, 'info', 'STRUCT<zone INT64, place STRUCT<city STRING, country STRING>>', ''],
      [3, 'info.place', 'STRUCT<city STRING, country STRING>', ''],
      [4, 'info.place.city', 'STRING', ''],
      [5, 'info.place.country', 'STRING', ''],
      [6, 'info.zone', 'INT64', ''],
      [7, 'parts', 'ARRAY<STRUCT<n INT64, label STRING>>', ''],
      [8, 'parts.label', 'STRING', ''],
      [9, 'parts.n', 'INT64', ''],
    ]);
    // Column lineage reads the relation's own columns back from catalog.json, not its fields.
    expect(readCatalogColumns(join(dir, 'target')).get('model.atlas.station_parts')?.map((c) => c.name)).toEqual(['code', 'info', 'parts']);
  });
});

describe.skipIf(analyzerPlatformGap)('dbt-bigquery configs Strata does not carry out are never silently ignored', () => {
  let bq: LocalBigQuery;
  const written = projectsRemovedAfterAll();
  const at = (files: Record<string, string>): string => written({ 'project.yml': 'name: atlas\nprofile: atlas\n', 'profiles.yml': profile(bq.endpoint), ...files });
  useLocalBigQuery(undefined, (local) => ({ bq } = local));

  it('time_ingestion_partitioning stops the build before any job, naming the file, line and fix', async () => {
    const dir = at({ 'models/arrivals.sql': "{{ config(materialized='incremental',\n    partition_by={'field': 'seen_at', 'data_type': 'timestamp', 'time_ingestion_partitioning': true}) }}\nselect current_timestamp() as seen_at" });
    const jobs = bq.jobs.length;
    const result = await build({ projectDir: dir, profilesDir: dir });
    expect(result.exitCode).toBe(2);
    const d = result.diagnostics.find((x) => x.code === 'config-unsupported');
    expect(d).toMatchObject({ severity: 'error', file: 'models/arrivals.sql', line: 2 });
    expect(d!.message).toContain('time_ingestion_partitioning');
    expect(d!.hint).toContain('remove time_ingestion_partitioning');
    expect(bq.jobs.length).toBe(jobs);
  });

  it('copy_partitions builds, with a warning that says how the partitions are replaced', async () => {
    const dir = at({ 'models/daily.sql': "{{ config(materialized='incremental', incremental_strategy='insert_overwrite', partition_by={'field': 'd', 'data_type': 'date', 'copy_partitions': true}) }}\nselect date '2025-01-02' as d, 7 as n" });
    const result = await build({ projectDir: dir, profilesDir: dir });
    expect(result.exitCode).toBe(0);
    expect(result.diagnostics.find((x) => x.code === 'config-unsupported')).toMatchObject({ severity: 'warn', file: 'models/daily.sql' });
  });

  it('a view with grant_access_to on a dataset that does not exist fails the model, naming the dataset', async () => {
    const dir = at({ 'models/feed.sql': "{{ config(materialized='view', grant_access_to=[{'project': 'orbit-test', 'dataset': 'nowhere'}]) }}\nselect 1 as id" });
    const result = await build({ projectDir: dir, profilesDir: dir });
    expect(result.exitCode).toBe(1);
    expect(result.results[0]!.message).toContain('nowhere');
  });

  it('adapter.get_partitions_metadata is refused by name, with what to use instead', async () => {
    const dir = at({ 'macros/parts.sql': "{% macro parts() %}{% do adapter.get_partitions_metadata(api.Relation.create(schema='core', identifier='daily')) %}{% endmacro %}" });
    const out = await runOperation({ projectDir: dir, profilesDir: dir, macro: 'parts' });
    expect(out.exitCode).not.toBe(0);
    const d = out.diagnostics.find((x) => x.code === 'unsupported-adapter-method');
    expect(d?.message).toContain('get_partitions_metadata');
    expect(d?.hint).toContain('INFORMATION_SCHEMA.PARTITIONS');
  });
});
