/**
 * dbt's quote policy: the project's `quoting:`, a model's `quoting` config and a source's `quoting:` decide which
 * parts of a relation's name are quoted, in `{{ this }}`, `ref()`, `source()`, the DDL and `relation_name`;
 * `adapter.quote_as_configured`, `adapter.quote_seed_column`, `relation.quote(…)` and
 * `api.Relation.create(quote_policy=…)` follow it too.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { duckdbDialect } from '../adapters/duckdb/duckdb-dialect.js';
import { bigqueryDialect } from '../adapters/bigquery/bigquery-dialect.js';
import { PROJECT_YML } from '../test-support/fixture-project.js';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { build } from '../api/index.js';

const project = duckDbProjectsRemovedAfterAll();

describe('a relation under a quote policy', () => {
  it('leaves the parts set false unquoted, on DuckDB and BigQuery', () => {
    const rel = { database: 'lake', schema: 'shop', identifier: 'Orders', quotePolicy: { schema: false, identifier: false } };
    expect(duckdbDialect.renderRelation(rel)).toBe('"lake".shop.Orders');
    expect(bigqueryDialect.renderRelation(rel)).toBe('`lake`.shop.Orders');
    expect(duckdbDialect.renderRelation({ ...rel, quotePolicy: { database: false } })).toBe('lake."shop"."Orders"');
    expect(bigqueryDialect.renderRelation({ schema: 'shop', identifier: 'Orders' })).toBe('`shop`.`Orders`');
    // dbt-duckdb adds a column under the identifier policy too (api.Relation.create(identifier=column)).
    expect(duckdbDialect.addColumns(rel, [{ name: 'gross kg', dataType: 'DOUBLE' }])).toBe('alter table "lake".shop.Orders add column gross kg DOUBLE');
    expect(duckdbDialect.addColumns({ schema: 'shop', identifier: 'Orders' }, [{ name: 'gross kg', dataType: 'DOUBLE' }])).toBe('alter table "shop"."Orders" add column "gross kg" DOUBLE');
  });
});

describe('quoting in a project', () => {
  const model = [
    "{{ config(materialized='table') }}",
    "select '{{ this }}' as this_name, '{{ ref(\"tariffs\") }}' as ref_name, '{{ source(\"post\", \"parcels\") }}' as source_name,",
    "  '{{ adapter.quote_as_configured(\"zone\", \"identifier\") }}' as as_configured, '{{ adapter.quote_as_configured(\"zone\", \"schema\") }}' as schema_configured,",
    "  '{{ api.Relation.create(schema=\"depot\", identifier=\"crates\", quote_policy={\"schema\": false}) }}' as created,",
    "  '{{ api.Relation.create(schema=\"depot\", identifier=\"crates\", quote_policy={\"identifier\": true}) }}' as created_quoted,",
    "  '{{ this.quote(identifier=true) }}' as requoted, '{{ adapter.quote_seed_column(\"Weight\", false) }}' as seed_column",
  ].join('\n');
  const files = {
    'project.yml': PROJECT_YML('p', 'quoting:\n  identifier: false\n'),
    'seeds/tariffs.csv': 'zone,price\nA,3\n',
    'models/sources.yml': 'version: 2\nsources:\n  - name: post\n    schema: main\n    quoting:\n      schema: false\n      identifier: true\n    tables:\n      - name: parcels\n',
    'models/labels.sql': model,
    'models/quoted_again.sql': "{{ config(materialized='view', quoting={'identifier': true, 'database': false}) }}\nselect '{{ this }}' as this_name",
  };

  it('renders this, ref and source as configured, builds the tables, and writes relation_name so', async () => {
    const p = project(files);
    const r = await build({ projectDir: p.dir, profilesDir: p.dir, select: ['labels', 'quoted_again', 'tariffs'] });
    expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(0);
    expect(await p.q('select * from main.labels')).toEqual([
      { this_name: '"test"."main".labels', ref_name: '"test"."main".tariffs', source_name: '"test".main."parcels"', as_configured: 'zone', schema_configured: '"zone"', created: 'depot.crates', created_quoted: '"depot"."crates"', requoted: '"test"."main"."labels"', seed_column: 'Weight' },
    ]);
    expect(await p.q('select * from main.quoted_again')).toEqual([{ this_name: 'test."main"."quoted_again"' }]);
    expect(readFileSync(join(p.dir, 'target', 'run', 'p', 'models', 'labels.sql'), 'utf8')).toContain('create or replace table "test"."main".labels');
    const manifest = JSON.parse(readFileSync(join(p.dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { relation_name: string }>; sources: Record<string, { quoting: unknown }> };
    expect(manifest.nodes['model.p.labels']!.relation_name).toBe('"test"."main".labels');
    expect(manifest.sources['source.p.post.parcels']!.quoting).toEqual({ schema: false, identifier: true });
  });
});

describe('a new incremental column under quoting: {identifier: false}', () => {
  const model = (extra: string): string => `{{ config(materialized='incremental', on_schema_change='append_new_columns') }}\nselect 1 as crate_id${extra}`;
  it("is added unquoted, as dbt-duckdb adds it: a plain name works, a name with a space fails the model (the table kept)", async () => {
    const p = project({ 'project.yml': PROJECT_YML('p', 'quoting:\n  identifier: false\n'), 'models/crates.sql': model('') });
    expect((await build({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    p.write('models/crates.sql', model(', 2.5 as gross_kg'));
    expect((await build({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    p.write('models/crates.sql', model(', 2.5 as gross_kg, 7 as "net kg"'));
    const spaced = await build({ projectDir: p.dir, profilesDir: p.dir });
    expect(spaced.exitCode).toBe(1);
    expect(spaced.results[0]!.status).toBe('error');
    expect(await p.q('select crate_id, gross_kg::double as gross_kg from main.crates order by gross_kg nulls first')).toEqual([{ crate_id: 1, gross_kg: null }, { crate_id: 1, gross_kg: 2.5 }]);
  });
});
