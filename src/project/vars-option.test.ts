/** `--vars` as dbt reads it (PyYAML): a mapping in YAML or JSON, dates kept as written, YAML 1.1's booleans. */
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from './load-project.js';
import { targetRules } from '../adapters/registry.js';
import { writeProject, removeProject } from '../test-support/fixture-project.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

function varsOf(vars: string): { vars?: Record<string, unknown>; messages: string[] } {
  const dir = writeProject({ 'models/a.sql': 'select 1 as id' });
  dirs.push(dir);
  const r = loadProject({ projectDir: dir, profilesDir: dir, targetRules, vars });
  return { vars: r.project?.config.vars, messages: r.diagnostics.map((d) => d.message) };
}

describe('--vars', () => {
  it('reads YAML and JSON mappings as dbt does', () => {
    expect(varsOf("{ds: 2026-04-15, n: 3, full: yes, quick: no, name: 'x y', list: [1, a]}").vars).toEqual({ ds: '2026-04-15', n: 3, full: true, quick: false, name: 'x y', list: [1, 'a'] });
    expect(varsOf('{"ds": "2026-04-15", "n": 3.5}').vars).toEqual({ ds: '2026-04-15', n: 3.5 });
    expect(varsOf('ds: 2026-04-15').vars).toEqual({ ds: '2026-04-15' });
    expect(varsOf('').vars).toEqual({});
  });

  it('says what is wrong with text that is not a mapping', () => {
    expect(varsOf('{a: [1, 2').messages.join('\n')).toMatch(/--vars is not valid YAML or JSON: /);
    expect(varsOf('[1, 2]').messages.join('\n')).toContain('--vars must be a mapping like {key: value}');
  });
});
