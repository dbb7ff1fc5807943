/**
 * Parse renders on worker threads (templating/parse-render-pool.ts) give what one thread gives: the same
 * manifest.json byte for byte (but for its timestamps and invocation id), the same log() lines in the same
 * order, the same secret() handling and the same diagnostics. Through the CLI: workers run compiled code only.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_YML, writeProject, removeProject } from '../test-support/fixture-project.js';
import { runStrata } from '../test-support/strata-cli.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

/** Models of every shape that misses the static scan, and enough of them for several batches. */
function files(): Record<string, string> {
  const out: Record<string, string> = {
    'macros/m.sql': "{% macro cents(col) %}({{ col }} / 100.0){% endmacro %}\n{% macro noisy(x) %}{{ log('noisy ' ~ x, info=True) }}{{ x }}{% endmacro %}",
    'models/base.sql': 'select 1 as id, 250 as amount, 1.5 as ratio',
    // A dict var keeps its keys' order on a worker too (JavaScript would list '2025' first).
    'project.yml': PROJECT_YML('p', "vars:\n  years: {'2026': next, '2025': this}\n"),
    'models/by_year.sql': "{{ config(tags=var('years').keys() | list) }}{% for y in var('years') %}{{ log('year ' ~ y, info=True) }}{% endfor %}select 1 as id",
    'models/secretive.sql': "select '{{ secret('STRATA_PARALLEL_TEST_PEPPER', 'default-pepper-value') }}' as p, '{{ env_var('STRATA_PARALLEL_TEST_REGION', 'eu') }}' as r",
    // api.Column: the labels go to the workers; string_type() is rendered again on the main thread.
    'models/columns.sql': "select '{{ api.Column.translate_type('string') }}' as t, '{{ api.Column.string_type(10) }}' as s from {{ ref('base') }}",
    'models/docs.md': '{% docs base_doc %}The base.{% enddocs %}',
    'models/schema.yml': "version: 2\nmodels:\n  - name: base\n    description: '{{ doc(\"base_doc\") }}'\n    config:\n      tags: ['from_yaml']\n",
  };
  for (let i = 0; i < 120; i++) {
    const shape = i % 4;
    out[`models/m_${i}.sql`] =
      shape === 0
        ? `{{ config(materialized='incremental', unique_key=['id'], tags=['t${i % 3}'], meta={'owner': 'team_${i % 5}', 'weight': ${i}.5}) }}\nselect id, {{ cents('amount') }} as amount from {{ ref('base') }}\n{% if is_incremental() %}where id > (select max(id) from {{ this }}){% endif %}\n`
        : shape === 1
          ? `{% set parents = ['base'${i > 4 ? `, 'm_${i - 4}'` : ''}] %}\n{% for p in parents %}select id from {{ ref(p) }}{% if not loop.last %} union all {% endif %}{% endfor %}\n`
          : shape === 2
            ? `select {{ noisy(${i}) }} as n, '{{ var('region', 'none') }}' as v, '{{ config.get('materialized') }}' as mat from {{ ref('base') }}\n`
            : `{{ log('model ${i} parsed', info=True) }}{{ config(alias='alias_${i}', docs={'show': ${i % 2 === 0 ? 'true' : 'false'}}) }}\nselect * from {{ source('raw', 't') }}\n`;
  }
  out['models/sources.yml'] = 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: t\n';
  return out;
}

async function parse(dir: string, env: Record<string, string>): Promise<{ code: number | null; out: string; manifest: string; perf: Record<string, unknown> }> {
  rmSync(join(dir, 'target'), { recursive: true, force: true });
  const r = await runStrata(['parse', '--project-dir', dir, '--profiles-dir', dir], { cwd: dir, env: { STRATA_PARALLEL_TEST_REGION: 'us', ...env } });
  const manifest = r.code === 0 ? readFileSync(join(dir, 'target', 'manifest.json'), 'utf8').replace(/"(generated_at|created_at|invocation_id)": ?("[^"]*"|[\d.]+)/g, '"$1": 0') : '';
  const perf = r.code === 0 ? (JSON.parse(readFileSync(join(dir, 'target', 'perf_info.json'), 'utf8')) as Record<string, unknown>) : {};
  return { code: r.code, out: (r.stdout + r.stderr).replace(/in \d+ ms/g, 'in N ms'), manifest, perf };
}

const SERIAL = { STRATA_PARSE_WORKERS: '0' };
/** Every file that misses the static scan rendered by the worker, none here: a difference cannot hide. */
const ON_WORKERS = { STRATA_PARSE_WORKERS: '1', STRATA_PARSE_PARALLEL_AFTER: '1', STRATA_PARSE_RENDER_HERE: '0' };
/** Both threads take batches, as in a real parse. */
const SHARED = { STRATA_PARSE_WORKERS: '2', STRATA_PARSE_PARALLEL_AFTER: '1' };

describe('parallel parse renders', () => {
  it('give the same manifest, log lines and secret handling as one thread', async () => {
    const dir = writeProject(files());
    dirs.push(dir);
    const serial = await parse(dir, SERIAL);
    expect(serial.code, serial.out).toBe(0);
    expect(serial.perf).toMatchObject({ render_worker_count: 0, worker_rendered_path_count: 0 });
    expect(serial.out).toContain('noisy 2');
    expect(serial.out.indexOf('year 2026')).toBeGreaterThan(-1);
    expect(serial.out.indexOf('year 2026')).toBeLessThan(serial.out.indexOf('year 2025'));
    // The secret's default is scrubbed from what is written, whichever thread called secret().
    expect(serial.manifest).not.toContain('default-pepper-value');
    for (const env of [ON_WORKERS, SHARED]) {
      const parallel = await parse(dir, env);
      expect(parallel.code, parallel.out).toBe(0);
      expect(parallel.perf.render_worker_count).toBeGreaterThan(0);
      if (env === ON_WORKERS) expect(parallel.perf.worker_rendered_path_count).toBe(serial.perf.parsed_path_count as number - (serial.perf.static_analysis_path_count as number));
      expect(parallel.out).toBe(serial.out);
      expect(parallel.manifest === serial.manifest).toBe(true);
    }
  });

  it('report a template error at the same file and line', async () => {
    const dir = writeProject({ ...files(), 'models/broken.sql': "select 1\n{% if %}\nfrom {{ ref('base') }}" });
    dirs.push(dir);
    const serial = await parse(dir, SERIAL);
    expect(serial.code).toBe(2);
    expect(serial.out).toContain('models/broken.sql:2');
    expect((await parse(dir, ON_WORKERS)).out).toBe(serial.out);
  });
});
