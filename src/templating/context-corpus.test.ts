/**
 * dbt's `var()`, `fromjson`, `fromyaml`, `toyaml` and `tojson` over dicts whose keys JavaScript would reorder
 * (`{'2024': …, '2023': …}`, `{10: …, 2: …}`) and over YAML 1.1 scalars. Each case's expected text was rendered by
 * Jinja2 with dbt's definitions of these functions and PyYAML reading the vars (scripts/jinja-corpus/generate-yaml.py).
 * Here the vars go through the project loader, as a `vars:` block of the project file, then a run render.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createTemplateEngine } from './index.js';
import { loadProject } from '../project/index.js';
import { targetRules, conventionsOf } from '../adapters/registry.js';
import { PROJECT_YML, removeProject, writeProject } from '../test-support/fixture-project.js';
import type { RenderNode, RunRenderContext } from './types.js';
import { quotedRunContext } from '../test-support/bare-render.js';

interface ContextCase { name: string; template: string; vars: string; expected: string }
const cases = JSON.parse(readFileSync(new URL('./context-corpus.json', import.meta.url), 'utf8')) as ContextCase[];

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const node: RenderNode = { uniqueId: 'model.p.m', name: 'm', resourceType: 'model', packageName: 'p', file: 'models/m.sql', fqn: ['p', 'm'], config: { materialized: 'view' } };
const run: RunRenderContext = quotedRunContext();

async function render(c: ContextCase): Promise<string> {
  const dir = writeProject({ 'project.yml': PROJECT_YML('p', `vars:\n  ${c.vars === '{}' ? '{}' : c.vars}\n`), 'models/m.sql': 'select 1' });
  dirs.push(dir);
  const loaded = loadProject({ projectDir: dir, profilesDir: dir, targetRules });
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const engine = createTemplateEngine({
    projectName: 'p', adapterType: 'duckdb', target: { name: 'dev', schema: 'main', type: 'duckdb' }, vars: loaded.project!.config.vars, env: {}, docs: {},
    macroFiles: [], columnConventions: (type) => conventionsOf(type)?.column,
  });
  return engine.runRender(node, c.template, run);
}

describe("dbt's data functions and vars, as Jinja2 and PyYAML give them", () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    expect(await render(c)).toBe(c.expected);
  });
});
