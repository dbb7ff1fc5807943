/**
 * `docs generate` on BigQuery compiles as dbt's does (it connects): `execute` is true, a template's `run_query`
 * runs through the adapter (here against the loopback BigQuery), and the column lineage traces the SQL so
 * compiled. A `secret()` the query reads is a job parameter: its value is in no artifact or cache.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalBigQuery } from './local/local-bigquery-server.js';
import { bigQueryOutput, bigQueryProfile, useLocalBigQuery } from '../../test-support/local-bigquery-project.js';
import { analyzerPlatformGap } from '../../test-support/local-bigquery-client.js';
import { build, docsGenerate } from '../../api/index.js';
import type { LineageArtifact } from '../../lineage/index.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';

const TOKEN = 'ya29.docs-token-never-written';
const PEPPER = 'pepper-value-never-written';

// Every column of a relation but the ones named, read from the warehouse when executing (dbt_utils.star's shape).
const ALL_BUT = `{% macro all_but(rel, drop=[]) %}
{%- if not execute -%}{{ return('*') }}{%- endif -%}
{%- set names = [] -%}
{%- for c in adapter.get_columns_in_relation(rel) if c.name | lower not in drop -%}{%- do names.append(c.name) -%}{%- endfor -%}
{{ return(names | join(', ')) }}
{% endmacro %}`;

/** Every file under `dir`, with its text. */
function filesUnder(dir: string): [string, string][] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [[path, readFileSync(path, 'latin1')] as [string, string]];
  });
}

describe.skipIf(analyzerPlatformGap)('docs generate on BigQuery compiles with execute true', () => {
  let bq: LocalBigQuery;
  let dir: string;
  const options = (): { projectDir: string; profilesDir: string; env: NodeJS.ProcessEnv } => ({ projectDir: dir, profilesDir: dir, env: { ...process.env, DOCS_PEPPER: PEPPER } });
  useLocalBigQuery((endpoint) => ({
    'project.yml': 'name: inn\nprofile: inn\nseeds:\n  inn:\n    +column_types: {room: INT64, floor: INT64}\n',
    'profiles.yml': bigQueryProfile('inn', 'dev', bigQueryOutput('dev', { endpoint, project: 'inn-test', dataset: 'front', token: TOKEN })),
    'seeds/rooms.csv': 'room,floor,wing,keycode\n101,1,east,k1\n204,2,west,k2\n',
    'macros/all_but.sql': ALL_BUT,
    'models/room_list.sql': "select {{ all_but(ref('rooms'), drop=['keycode']) }} from {{ ref('rooms') }}",
    'models/floors.sql': "{% if execute %}{% set top = run_query('select max(floor) as f from ' ~ ref('rooms')).columns[0].values()[0] %}{% else %}{% set top = 0 %}{% endif %}select room, {{ top }} - floor as floors_below_top from {{ ref('rooms') }}",
    'models/tagged.sql': "{% if execute %}{% set h = run_query('select substr(to_hex(sha256(' ~ secret('DOCS_PEPPER') ~ ')), 1, 6) as h').columns[0].values()[0] %}{% else %}{% set h = '' %}{% endif %}select room, '{{ h }}' as batch from {{ ref('rooms') }}",
  }), (local) => ({ bq, dir } = local));

  it('runs the templates’ queries once, traces the models that need them, and writes no secret', async () => {
    const built = await build(options());
    expect(built.exitCode, JSON.stringify(built.results.map((r) => r.message))).toBe(0);
    const jobsBefore = bq.jobs.length;
    const out = await docsGenerate(options());
    expect(out.exitCode, JSON.stringify(out.diagnostics)).toBe(0);
    // The compile ran each template query once (the lineage's compile took its answers).
    const sqls = bq.jobs.slice(jobsBefore).map((j) => String(j.configuration.query?.query ?? ''));
    expect(sqls.filter((s) => s.includes('max(floor)'))).toHaveLength(1);
    expect(sqls.filter((s) => s.includes('sha256'))).toHaveLength(1);
    const compiled = readFileSync(join(dir, 'target', 'compiled', 'inn', 'models', 'floors.sql'), 'utf8');
    expect(compiled).toContain('select room, 2 - floor as floors_below_top');
    expect(readFileSync(join(dir, 'target', 'compiled', 'inn', 'models', 'room_list.sql'), 'utf8')).toMatch(/^select room, floor, wing from /);
    const lineage = JSON.parse(readFileSync(join(dir, 'target', 'lineage.json'), 'utf8')) as LineageArtifact;
    expect(lineage.nodes['model.inn.floors']!.status).toBe('traced');
    expect(Object.keys(lineage.nodes['model.inn.floors']!.columns).sort()).toEqual(['floors_below_top', 'room']);
    expect(Object.keys(lineage.nodes['model.inn.room_list']!.columns).sort()).toEqual(['floor', 'room', 'wing']);
    expect(lineage.nodes['model.inn.tagged']!.status).toBe('traced');
    // The pepper went as a job parameter; neither it nor the token is in target/ or the project's caches.
    const shared = filesUnder(dir).filter(([, text]) => text.includes(PEPPER) || text.includes(TOKEN)).map(([path]) => path.slice(dir.length + 1));
    expect(shared.filter((p) => p !== 'profiles.yml')).toEqual([]);
    expect(readFileSync(join(dir, 'target', 'compiled', 'inn', 'models', 'tagged.sql'), 'utf8')).toMatch(/^select room, '[0-9a-f]{6}' as batch from /);
  });
});
