/**
 * Column lineage traces the SQL the build runs: compiled with `execute` true (dbt's compile), a macro that reads
 * the warehouse answered by the catalog or the warehouse, never by the parse-time branch.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { build, columnLineage, docsGenerate, list, show } from './index.js';
import type { LineageArtifact } from '../lineage/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

// The shape of dbt_utils.star: `*` at parse time, the relation's columns less `except` when executing.
const STAR_MACRO = `{% macro pick_columns(from, except=[]) %}
{%- if not execute -%}{{ return('*') }}{%- endif -%}
{%- set keep = [] -%}
{%- for col in adapter.get_columns_in_relation(from) if col.name | lower not in except -%}{%- do keep.append(adapter.quote(col.name)) -%}{%- endfor -%}
{{ return(keep | join(', ')) }}
{% endmacro %}`;

const upstreamOf = (l: LineageArtifact, id: string, col: string): string[] => (l.nodes[id]?.columns[col]?.upstream ?? []).map((u) => `${u.node}.${u.column}`).sort();

describe('column lineage of the SQL the build runs', () => {
  const dir = writeProject({
    'seeds/guests.csv': 'guest_id,given_name,family_name,phone\n1,Ilse,Marr,555\n',
    'macros/pick_columns.sql': STAR_MACRO,
    'models/badge.sql': "select {% if execute %} given_name {% else %} family_name {% endif %} as shown from {{ ref('guests') }}",
    'models/roster.sql': "select {{ pick_columns(ref('guests'), except=['phone', 'given_name']) }} from {{ ref('guests') }}",
    'models/tally.sql': "{% if execute %}{% set n = run_query('select 2 as n').columns[0].values()[0] %}{% else %}{% set n = 0 %}{% endif %}select guest_id, {{ n }} as seats from {{ ref('guests') }}",
    'seeds/stamps.csv': 'n\n1\n',
    // A template that writes when compiled (dbt runs it on every compile): lineage must not run it again.
    'models/stamp.sql': "-- depends_on: {{ ref('stamps') }}\n{% if execute %}{% do run_query('insert into main.stamps values (1)') %}{% endif %}select 1 as s",
    // Fails only when compiled with `late` set: docs generate stops at a node that does not compile (as dbt's).
    'models/late_fail.sql': "{% if execute and var('late', false) %}{{ exceptions.raise_compiler_error('no plan for the late shift') }}{% endif %}select guest_id from {{ ref('guests') }}",
  });
  dirs.push(dir);
  const options = { projectDir: dir, profilesDir: dir };
  const ls = async (select: string): Promise<string[]> => (await list({ ...options, select: [select], resourceTypes: ['model'], output: 'name' })).lines.sort();

  it('with no warehouse and no catalog: the execute branch, and untraced where the SQL needs the warehouse', async () => {
    const out = await columnLineage({ ...options, vars: { late: true } });
    expect(out.exitCode).toBe(0);
    const l = out.lineage!;
    expect(upstreamOf(l, 'model.p.badge', 'shown')).toEqual(['seed.p.guests.given_name']);
    expect(l.nodes['model.p.roster']).toMatchObject({ status: 'untraced' });
    expect(l.nodes['model.p.roster']!.reason).toContain('main.guests, which the catalog does not have');
    expect(l.nodes['model.p.tally']!.reason).toContain('run_query: select 2 as n');
    expect(l.nodes['model.p.late_fail']).toMatchObject({ status: 'untraced', reason: expect.stringContaining('no plan for the late shift') });
    // `column:` selects from the same lineage.
    expect(await ls('column:guests.given_name+')).toContain('badge');
    expect(await ls('column:guests.family_name+')).not.toContain('badge');
  });

  it('with the warehouse (docs generate) and then its catalog: the columns the built model has', async () => {
    expect((await build({ ...options, exclude: ['late_fail'] })).exitCode).toBe(0);
    const stamps = async (): Promise<number> => {
      const out = await show({ ...options, inline: 'select count(*) as n from main.stamps' });
      return Number(out.previews[0]!.rows[0]!.n);
    };
    const before = await stamps();
    const docs = await docsGenerate(options);
    expect(docs.exitCode).toBe(0);
    // docs generate's compile ran the insert once; the lineage's compile took its answer instead of running it.
    expect(await stamps()).toBe(before + 1);
    const written = JSON.parse(readFileSync(join(dir, 'target', 'lineage.json'), 'utf8')) as LineageArtifact;
    for (const l of [written, (await columnLineage(options)).lineage!]) {
      expect(Object.keys(l.nodes['model.p.roster']!.columns).sort()).toEqual(['family_name', 'guest_id']);
      expect(l.nodes['model.p.roster']!.status).toBe('traced');
      expect(upstreamOf(l, 'model.p.badge', 'shown')).toEqual(['seed.p.guests.given_name']);
    }
    expect(written.nodes['model.p.late_fail']!.status).toBe('traced');
    expect((await columnLineage({ ...options, vars: { late: true } })).lineage!.nodes['model.p.late_fail']!.status).toBe('untraced');
    // run_query: the warehouse answers in docs generate; from the catalog alone, untraced.
    expect(written.nodes['model.p.tally']!.status).toBe('traced');
    expect(Object.keys(written.nodes['model.p.tally']!.columns).sort()).toEqual(['guest_id', 'seats']);
    expect(await ls('column:guests.phone+')).toEqual([]);
    expect(await ls('column:guests.family_name+')).toEqual(['roster']);
  });
});
