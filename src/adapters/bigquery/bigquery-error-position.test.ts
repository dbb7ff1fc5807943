/**
 * A BigQuery semantic error (the analyzer's, on the loopback BigQuery) points at the model's own file and
 * line where the compiled SQL allows — Jinja before the bad line moves the compiled line numbers — in a build
 * and in `strata plan`, whose errors also name the file.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalBigQuery } from './local/local-bigquery-server.js';
import { bigQueryOutput, bigQueryProfile, useLocalBigQuery } from '../../test-support/local-bigquery-project.js';
import { analyzerPlatformGap } from '../../test-support/local-bigquery-client.js';
import { build, plan } from '../../api/index.js';
import { sourcePosition } from '../../execute/warehouse-error.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';

// The unknown column sits on line 8 of the file; Jinja's set and comment leave it on line 4 of the compiled SQL.
const MODEL = [
  "{{ config(materialized='table') }}",
  '{% set regions = [',
  "  'north', 'south'] %}",
  '{#- two lines of notes',
  '    that render to nothing -#}',
  'select',
  '  1 as id,',
  '  missing_col as z',
  'from unnest({{ regions | tojson }}) as region',
].join('\n');

describe.skipIf(analyzerPlatformGap)('where a BigQuery semantic error points', () => {
  let bq: LocalBigQuery;
  let dir: string;
  useLocalBigQuery((endpoint) => ({
    'project.yml': 'name: atlas\nprofile: atlas\n',
    'profiles.yml': bigQueryProfile('atlas', 'dev', bigQueryOutput('dev', { endpoint, project: 'orbit-test', dataset: 'core', token: 'tok-never-shown' })),
    'models/regional.sql': MODEL,
  }), (local) => ({ bq, dir } = local));

  it('a build names the compiled line and the model file’s line', async () => {
    const r = await build({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode).toBe(1);
    const msg = r.results[0]!.message!;
    expect(msg).toContain('Unrecognized name: missing_col');
    expect(msg).toMatch(/at target\/compiled\/atlas\/models\/regional\.sql:4:3 \(compiled SQL of models\/regional\.sql, from models\/regional\.sql:8:3\)/);
  });

  it('plan names the file, the compiled line and the model file’s line, on screen and in plan.json', async () => {
    const r = await plan({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode).toBe(1);
    const node = r.nodes[0]!;
    expect(node.error).toContain('Unrecognized name: missing_col');
    expect(node.file).toBe('models/regional.sql');
    expect(node.errorAt).toBe('target/compiled/atlas/models/regional.sql:4:3 (compiled SQL of models/regional.sql, from models/regional.sql:8:3)');
    const saved = JSON.parse(readFileSync(join(dir, 'target', 'plan.json'), 'utf8')).nodes[0];
    expect(saved).toMatchObject({ original_file_path: 'models/regional.sql', error_at: node.errorAt });
  });
});

describe('sourcePosition', () => {
  it('maps a compiled line to the one file line holding its text, and gives up when two do', () => {
    expect(sourcePosition('select\n  a,\n  b as c\nfrom t', '  b as c', 3)).toEqual({ line: 3, column: 3 });
    expect(sourcePosition("select x\nfrom a\nleft join {{ ref('t') }} as t", 'left join `p`.`d`.`t` as t', 6)).toEqual({ line: 3, column: 6 });
    // Too little text to be sure (`from`): no line rather than a wrong one.
    expect(sourcePosition("select x\nfrom {{ ref('t') }}", 'from `p`.`d`.`t`', 1)).toBeUndefined();
    expect(sourcePosition('select a\nunion all\nselect a', 'select a', 8)).toBeUndefined();
  });
});
