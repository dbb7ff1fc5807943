/** selectors.yml: named selectors as dbt's, by --selector, selector:, and a default one. */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { list, parse } from '../api/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const MODELS = {
  'models/raw.sql': "{{ config(tags=['nightly']) }} select 1 as id",
  'models/stg.sql': "{{ config(tags=['nightly']) }} select * from {{ ref('raw') }}",
  'models/mart.sql': "{{ config(tags=['hourly']) }} select * from {{ ref('stg') }}",
  'models/legacy.sql': "{{ config(tags=['nightly', 'deprecated']) }} select 2 as id",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: stg\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
};

const SELECTORS = `selectors:
  - name: nightly
    description: Nightly models, not the deprecated ones
    definition:
      union:
        - method: tag
          value: nightly
        - exclude:
            - tag:deprecated
  - name: mart_and_parents
    definition:
      method: fqn
      value: mart
      parents: true
      parents_depth: 1
  - name: cli_style
    definition: 'tag:hourly,mart'
  - name: key_value
    definition:
      tag: deprecated
  - name: nested
    definition:
      intersection:
        - selector: nightly
        - method: fqn
          value: stg
          children: true
  - name: everything_but_legacy
    default: true
    definition:
      union:
        - 'fqn:*'
        - exclude: [legacy]
  - name: loop_a
    definition: 'selector:loop_b'
  - name: loop_b
    definition: 'selector:loop_a'
`;

describe('YAML selectors', () => {
  it('select by name, nest, exclude, take graph operators, and apply the default selector when nothing is selected', async () => {
    const dir = writeProject({ ...MODELS, 'selectors.yml': SELECTORS });
    dirs.push(dir);
    const names = async (o: Record<string, unknown>): Promise<string[]> => {
      const r = await list({ projectDir: dir, profilesDir: dir, output: 'name', resourceTypes: ['model', 'test'], ...o });
      expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(0);
      return [...r.lines].sort();
    };
    expect(await names({ selector: 'nightly' })).toEqual(['not_null_stg_id', 'raw', 'stg']);
    expect(await names({ selector: 'mart_and_parents' })).toEqual(['mart', 'not_null_stg_id', 'stg']);
    expect(await names({ selector: 'cli_style' })).toEqual(['mart']);
    expect(await names({ selector: 'key_value' })).toEqual(['legacy']);
    expect(await names({ selector: 'nested' })).toEqual(['not_null_stg_id', 'stg']);
    expect(await names({ select: ['selector:key_value', 'raw'] })).toEqual(['legacy', 'raw']);
    // No --select: the default selector.
    expect(await names({})).toEqual(['mart', 'not_null_stg_id', 'raw', 'stg']);

    const loop = await list({ projectDir: dir, profilesDir: dir, selector: 'loop_a' });
    expect(loop.exitCode).toBe(2);
    expect(loop.diagnostics[0]!.message).toContain('loop_a -> loop_b -> loop_a');
    const unknown = await list({ projectDir: dir, profilesDir: dir, selector: 'nightlly' });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.diagnostics[0]!.message).toContain("did you mean 'nightly'?");
    const both = await list({ projectDir: dir, profilesDir: dir, selector: 'nightly', select: ['raw'] });
    expect(both.diagnostics[0]).toMatchObject({ code: 'selector-invalid', message: '--selector cannot be combined with --select or --exclude' });

    expect((await parse({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'target', 'manifest.json'), 'utf8')) as { selectors: Record<string, { default?: boolean; description: string }> };
    expect(Object.keys(manifest.selectors)).toContain('nightly');
    expect(manifest.selectors.everything_but_legacy!.default).toBe(true);
  });

  it('reports a malformed selectors.yml with its line', async () => {
    const dir = writeProject({ ...MODELS, 'selectors.yml': 'selectors:\n  - name: a\n    definition: tag:x\n  - name: b\n  - name: a\n    definition: tag:y\n' });
    dirs.push(dir);
    const r = await list({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.file, d.line])).toEqual([
      ['selectors-invalid', 'selectors.yml', 4],
      ['selectors-invalid', 'selectors.yml', 5],
    ]);
  });
});
