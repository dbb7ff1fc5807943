/** The partial-parse cache under target/: reused when nothing changed, never stale when a file changes. */
import { targetRules } from '../adapters/registry.js';
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { prepareProject } from '../api/index.js';
import { loadProject } from '../project/index.js';
import { createTemplateEngine } from '../templating/index.js';
import { ParseCache } from './parse-cache.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

async function nodeIds(dir: string): Promise<string[]> {
  const out = await prepareProject({ projectDir: dir, profilesDir: dir });
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  return Object.keys(out.prepared.graph.manifest.nodes).sort();
}

describe('partial parse cache', () => {
  it('reuses parsed models and property files, and sees every edit', async () => {
    const dir = writeProject({
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "select * from {{ ref('a') }}",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [unique]\n',
    });
    dirs.push(dir);
    const first = await nodeIds(dir);
    expect(first.filter((id) => id.startsWith('test.'))).toHaveLength(1);
    const cache = JSON.parse(readFileSync(join(dir, 'target', 'partial_parse.strata.json'), 'utf8'));
    expect(Object.keys(cache.schemas)).toEqual([expect.stringMatching(/^models\/schema\.yml:[0-9a-f]{64}$/)]);
    expect(await nodeIds(dir)).toEqual(first); // warm: from the cache

    writeFileSync(join(dir, 'models', 'schema.yml'), 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n  - name: b\n    description: B\n');
    const second = await nodeIds(dir);
    expect(second.filter((id) => id.startsWith('test.'))).toHaveLength(2);
    const out = await prepareProject({ projectDir: dir, profilesDir: dir });
    expect(out.ok && out.prepared.graph.manifest.nodes['model.p.b']?.description).toBe('B');

    writeFileSync(join(dir, 'models', 'b.sql'), 'select 2 as id');
    const third = await prepareProject({ projectDir: dir, profilesDir: dir });
    expect(third.ok && third.prepared.graph.manifest.nodes['model.p.b']?.dependsOn.nodes).toEqual([]);
  });

  it('re-renders a model when an env var it read changed, and never stores the value', async () => {
    const dir = writeProject({ 'models/m.sql': "{{ config(materialized='table', tags=[env_var('STRATA_TEST_TAG', 'none')]) }} select 1 as id" });
    dirs.push(dir);
    const tags = async (value: string | undefined): Promise<string[]> => {
      const env = { ...process.env, STRATA_TEST_TAG: value };
      if (value === undefined) delete env.STRATA_TEST_TAG;
      const out = await prepareProject({ projectDir: dir, profilesDir: dir, env });
      if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
      return out.prepared.graph.manifest.nodes['model.p.m']!.tags;
    };
    expect(await tags('nightly-secretish-value')).toEqual(['nightly-secretish-value']);
    expect(await tags('nightly-secretish-value')).toEqual(['nightly-secretish-value']);
    expect(await tags('hourly')).toEqual(['hourly']);
    expect(await tags(undefined)).toEqual(['none']);
    expect(readFileSync(join(dir, 'target', 'partial_parse.strata.json'), 'utf8')).not.toContain('nightly-secretish-value');
  });

  it('is not used by another build of Strata: its renders and property-file results may differ', () => {
    const dir = writeProject({ 'models/a.sql': 'select 1 as id', 'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n' });
    dirs.push(dir);
    const project = loadProject({ projectDir: dir, profilesDir: dir, targetRules }).project!;
    const engine = createTemplateEngine({ projectName: 'p', adapterType: 'duckdb', target: {}, vars: {}, env: {}, macroFiles: [], docs: {} });
    const model = project.files.find((f) => f.kind === 'model')!;
    const schema = project.files.find((f) => f.kind === 'schema')!;
    const written = ParseCache.open(join(dir, 'target'), project, engine, 'strata-1');
    written.set(model, { refs: [], sources: [], config: {}, docRefs: [], macrosUsed: [], fastPath: true, diagnostics: [] });
    written.setSchema(schema, { patches: [], sources: [], macros: [], unitTests: [], exposures: [], diagnostics: [] });
    written.save();
    expect(ParseCache.open(join(dir, 'target'), project, engine, 'strata-1').get(model)).toBeDefined();
    expect(ParseCache.open(join(dir, 'target'), project, engine, 'strata-1').getSchema(schema)).toBeDefined();
    expect(ParseCache.open(join(dir, 'target'), project, engine, 'strata-2').get(model)).toBeUndefined();
    expect(ParseCache.open(join(dir, 'target'), project, engine, 'strata-2').getSchema(schema)).toBeUndefined();
  });
});
