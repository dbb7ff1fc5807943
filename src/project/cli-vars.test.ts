import { afterAll, describe, expect, it } from 'vitest';
import { targetRules } from '../adapters/registry.js';
import { removeProject, writeProject } from '../test-support/fixture-project.js';
import { loadProject } from './index.js';

describe('--vars', () => {
  const dir = writeProject({ 'models/a.sql': 'select 1 as id' });
  afterAll(() => removeProject(dir));
  const load = (vars: string) => loadProject({ projectDir: dir, profilesDir: dir, targetRules, vars });

  it('gives the same values written as JSON (as the Airflow DAG passes them) or as YAML', () => {
    const expected = { ds: '2026-04-15', n: 2, ratio: 0.5, flag: true, none: null, list: [1, 'a'], nested: { x: 'y' } };
    const json = load('{"ds": "2026-04-15", "n": 2, "ratio": 0.5, "flag": true, "none": null, "list": [1, "a"], "nested": {"x": "y"}}');
    const yaml = load('{ds: 2026-04-15, n: 2, ratio: 0.5, flag: true, none: null, list: [1, a], nested: {x: y}}');
    expect(json.diagnostics).toEqual([]);
    expect(yaml.diagnostics).toEqual([]);
    expect(json.project!.config.vars).toMatchObject(expected);
    expect(yaml.project!.config.vars).toMatchObject(expected);
    // Not JSON (a trailing comma) but YAML: still read.
    expect(load('  {"ds": "2026-04-16",}').project!.config.vars).toMatchObject({ ds: '2026-04-16' });
  });

  it('must be a mapping', () => {
    const r = load('[1, 2]');
    expect(r.diagnostics.map((d) => [d.code, d.file, d.message])).toEqual([['vars-invalid', '--vars', '--vars must be a mapping like {key: value}']]);
  });
});
