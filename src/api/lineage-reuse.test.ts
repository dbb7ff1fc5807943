/**
 * `strata lineage` and `column:` have no warehouse: a model whose SQL runs a query when compiled is traced from
 * the SQL the last `docs generate` compiled with the warehouse (kept in target/lineage.json) while the model, its
 * config, its macros and the relations its ref()s and source()s resolve to are unchanged, and untraced, saying so,
 * once they change.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DUCKDB_PROFILE } from '../test-support/fixture-project.js';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { build, columnLineage, docsGenerate, lineageOfColumn, list } from './index.js';
import type { LineageArtifact } from '../lineage/index.js';

const fixture = duckDbProjectsRemovedAfterAll();
const SEAT_MACRO = "{% macro seat_count() %}{% if execute %}{{ return(run_query('select count(*) from main.benches').columns[0].values()[0]) }}{% endif %}{{ return(0) }}{% endmacro %}";
const FILES = {
  'seeds/benches.csv': 'bench_id,row_name\n1,front\n2,back\n',
  'macros/seat_count.sql': SEAT_MACRO,
  // Compiled with the warehouse: the column list depends on a query's answer.
  'models/hall.sql': "select bench_id, row_name, {{ seat_count() }} as seats from {{ ref('benches') }}",
  'models/hall_copy.sql': "select * from {{ ref('hall') }}",
};
const upstream = (l: LineageArtifact, id: string, col: string): string[] => (l.nodes[id]?.columns[col]?.upstream ?? []).map((u) => `${u.node}.${u.column}`);

describe('strata lineage reuses what docs generate compiled with the warehouse', () => {
  it('traces the model and what selects * from it while it is unchanged; untraced with the reason once it or its macro changes', async () => {
    const { dir, write } = fixture(FILES);
    const options = { projectDir: dir, profilesDir: dir };
    const first = (await columnLineage(options)).lineage!;
    expect(first.nodes['model.p.hall']).toMatchObject({ status: 'untraced', reason: expect.stringContaining('run_query') });

    expect((await build(options)).exitCode).toBe(0);
    expect((await docsGenerate(options)).exitCode).toBe(0);
    const written = JSON.parse(readFileSync(join(dir, 'target', 'lineage.json'), 'utf8')) as LineageArtifact;
    expect(written.nodes['model.p.hall']!.compiled_with_warehouse?.sql).toContain('2 as seats');
    // A model compiled without asking the warehouse keeps no SQL.
    expect(written.nodes['model.p.hall_copy']!.compiled_with_warehouse).toBeUndefined();
    // The site shows the lineage, not the SQL kept for `strata lineage`.
    expect(readFileSync(join(dir, 'target', 'docs', 'data.js'), 'utf8')).not.toContain('compiled_with_warehouse');

    const reused = (await columnLineage(options)).lineage!;
    expect(reused.nodes['model.p.hall']!.status).toBe('traced');
    expect(upstream(reused, 'model.p.hall', 'row_name')).toEqual(['seed.p.benches.row_name']);
    expect(reused.nodes['model.p.hall_copy']!.status).toBe('traced');
    expect(upstream(reused, 'model.p.hall_copy', 'seats')).toEqual(['model.p.hall.seats']);
    const names = (await list({ ...options, select: ['column:benches.row_name+'], resourceTypes: ['model'], output: 'name' })).lines.sort();
    expect(names).toEqual(['hall', 'hall_copy']);
    const tree = await lineageOfColumn({ ...options, column: 'hall_copy.row_name' });
    expect(tree.incomplete).toEqual([]);
    // docs generate --no-compile answers no run_query: it keeps that SQL too.
    expect((await docsGenerate({ ...options, noCompile: true })).exitCode).toBe(0);
    const again = JSON.parse(readFileSync(join(dir, 'target', 'lineage.json'), 'utf8')) as LineageArtifact;
    expect(again.nodes['model.p.hall']).toMatchObject({ status: 'traced', compiled_with_warehouse: written.nodes['model.p.hall']!.compiled_with_warehouse });

    write('macros/seat_count.sql', SEAT_MACRO.replace('count(*)', 'count(distinct row_name)'));
    const stale = (await columnLineage(options)).lineage!;
    expect(stale.nodes['model.p.hall']).toMatchObject({ status: 'untraced', reason: expect.stringContaining('out of date') });
    write('macros/seat_count.sql', SEAT_MACRO);
    expect((await columnLineage(options)).lineage!.nodes['model.p.hall']!.status).toBe('traced');
    write('models/hall.sql', FILES['models/hall.sql'].replace('bench_id, ', ''));
    expect((await columnLineage(options)).lineage!.nodes['model.p.hall']).toMatchObject({ status: 'untraced', reason: expect.stringContaining('out of date') });
  });

  it('is out of date once --vars, an env var the model reads or the target changed since docs generate, not while they are the same', async () => {
    const { dir } = fixture({
      ...FILES,
      'profiles.yml': DUCKDB_PROFILE('p', '    aside:\n      type: duckdb\n      path: target/test.duckdb\n      schema: aside\n      threads: 2\n'),
      // The column picked comes from a var, the alias from an env var: the SQL kept names neither once they change.
      'models/aisle.sql': "select bench_id, {{ var('pick', 'row_name') }} as picked, {{ seat_count() }} as {{ env_var('STRATA_AISLE_SEATS', 'seats') }} from {{ ref('benches') }}",
    });
    const env = { ...process.env, STRATA_AISLE_SEATS: 'seats' };
    const options = { projectDir: dir, profilesDir: dir, env };
    expect((await build(options)).exitCode).toBe(0);
    expect((await docsGenerate(options)).exitCode).toBe(0);
    const same = (await columnLineage(options)).lineage!;
    expect(upstream(same, 'model.p.aisle', 'picked')).toEqual(['seed.p.benches.row_name']);
    for (const [what, changed] of Object.entries({ vars: { vars: '{pick: bench_id}' }, env: { env: { ...env, STRATA_AISLE_SEATS: 'places' } }, target: { target: 'aside' } })) {
      const lineage = (await columnLineage({ ...options, ...changed })).lineage!;
      expect.soft(lineage.nodes['model.p.aisle'], what).toMatchObject({ status: 'untraced', reason: expect.stringContaining('out of date') });
    }
    // Every var is in the digest, even one the model does not read: a coarse check, never a wrong reuse.
    expect((await columnLineage({ ...options, vars: '{unrelated: 1}' })).lineage!.nodes['model.p.aisle']!.status).toBe('untraced');
    expect((await columnLineage(options)).lineage!.nodes['model.p.aisle']!.status).toBe('traced');
  });

  it("is out of date once what ref() or source() resolves to changed: a parent's alias, schema or database, a source's identifier or schema, quoting, an ephemeral parent's code", async () => {
    const STALLS = "{{ config(materialized='table') }} select bench_id, row_name from {{ ref('benches') }}";
    const BAY = "{{ config(materialized='ephemeral') }} select bench_id, row_name from {{ ref('benches') }}";
    const SOURCES = 'version: 2\nsources:\n  - name: venue\n    schema: main\n    tables:\n      - name: rows\n        identifier: benches\n';
    const { dir, write } = fixture({
      ...FILES,
      'models/stalls.sql': STALLS,
      // Compiled with the warehouse, each reading one parent: a model, and a source.
      'models/booth.sql': "select bench_id, row_name as label, {{ seat_count() }} as seats from {{ ref('stalls') }}",
      'models/gallery.sql': "-- depends_on: {{ ref('benches') }}\nselect bench_id, row_name as label, {{ seat_count() }} as seats from {{ source('venue', 'rows') }}",
      'models/sources.yml': SOURCES,
      // And one reading an ephemeral model, inlined as a CTE in the SQL kept.
      'models/bay.sql': BAY,
      'models/kiosk.sql': "select bench_id, row_name as label, {{ seat_count() }} as seats from {{ ref('bay') }}",
    });
    const options = { projectDir: dir, profilesDir: dir };
    expect((await build(options)).exitCode).toBe(0);
    expect((await docsGenerate(options)).exitCode).toBe(0);
    const status = async (id: string): Promise<unknown> => (await columnLineage(options)).lineage!.nodes[id];
    expect(await status('model.p.booth')).toMatchObject({ status: 'traced' });
    expect(upstream((await columnLineage(options)).lineage!, 'model.p.booth', 'label')).toEqual(['model.p.stalls.row_name']);

    // The reviewer's case: stalls moves to stalls_v2 and another model takes the name `stalls`. The SQL kept reads
    // main.stalls, now the other model's: reused, it traced booth.label to the wrong model and left booth out of stalls'.
    write('models/stalls.sql', STALLS.replace("'table'", "'table', alias='stalls_v2'"));
    write('models/stall_names.sql', "{{ config(materialized='table', alias='stalls') }} select 1 as bench_id, 'spare' as row_name");
    expect(await status('model.p.booth')).toMatchObject({ status: 'untraced', reason: expect.stringContaining('out of date') });
    const names = (await list({ ...options, select: ['column:stall_names.row_name+'], resourceTypes: ['model'], output: 'name' })).lines;
    expect(names).not.toContain('booth');
    write('models/stall_names.sql', "{{ config(materialized='table', alias='stall_names') }} select 1 as bench_id, 'spare' as row_name");
    for (const [what, config] of Object.entries({ schema: "schema='annex'", database: "database='elsewhere'" })) {
      write('models/stalls.sql', STALLS.replace("'table'", `'table', ${config}`));
      expect.soft(await status('model.p.booth'), what).toMatchObject({ status: 'untraced', reason: expect.stringContaining('out of date') });
    }
    write('models/stalls.sql', STALLS);
    expect(await status('model.p.booth')).toMatchObject({ status: 'traced' });

    expect(await status('model.p.gallery')).toMatchObject({ status: 'traced' });
    for (const [what, yml] of Object.entries({ identifier: SOURCES.replace('identifier: benches', 'identifier: hall'), schema: SOURCES.replace('schema: main', 'schema: annex'), quoting: SOURCES.replace('    schema: main\n', '    schema: main\n    quoting:\n      identifier: false\n') })) {
      write('models/sources.yml', yml);
      expect.soft(await status('model.p.gallery'), what).toMatchObject({ status: 'untraced', reason: expect.stringContaining('out of date') });
    }
    write('models/sources.yml', SOURCES);
    expect(await status('model.p.gallery')).toMatchObject({ status: 'traced' });
    expect(await status('model.p.kiosk')).toMatchObject({ status: 'traced' });
    write('models/bay.sql', BAY.replace('select bench_id, row_name', "select bench_id, 'row ' || bench_id as row_name"));
    expect(await status('model.p.kiosk')).toMatchObject({ status: 'untraced', reason: expect.stringContaining('out of date') });
    write('project.yml', "name: p\nprofile: p\nquoting:\n  identifier: false\n");
    expect(await status('model.p.gallery')).toMatchObject({ status: 'untraced', reason: expect.stringContaining('out of date') });
  });
});
