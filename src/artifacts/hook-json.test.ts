/** manifest.json writes hooks as dbt's `Hook` objects, and a state manifest from before (hooks as strings) still reads. */
import { describe, it, expect } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { build, list } from '../api/index.js';
import { PROJECT_YML } from '../test-support/fixture-project.js';
import { hookObjects } from './hook-json.js';

const project = duckDbProjectsRemovedAfterAll();
type Json = Record<string, unknown>;
const manifestOf = (dir: string): { nodes: Record<string, Json & { config: Json }> } => JSON.parse(readFileSync(join(dir, 'target', 'manifest.json'), 'utf8'));

const FILES = {
  'project.yml': PROJECT_YML('p', 'models:\n  p:\n    +post-hook:\n      - "select 10"\n      - sql: "select 11"\n        transaction: false\n'),
  'models/kiln.sql': "{{ config(materialized='table', pre_hook=['select 20', before_begin('select 21')]) }} select 1 as id",
  'models/glaze.sql': "select * from {{ ref('kiln') }}",
};

describe('hooks in manifest.json', () => {
  it("are dbt's objects under pre-hook / post-hook, the project's first, outside ones with transaction false", async () => {
    const p = project(FILES);
    expect((await build({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    const config = manifestOf(p.dir).nodes['model.p.kiln']!.config;
    expect(config.pre_hook).toBeUndefined();
    expect(config.post_hook).toBeUndefined();
    expect(config['pre-hook']).toEqual([
      { sql: 'select 20', transaction: true, index: null },
      { sql: 'select 21', transaction: false, index: null },
    ]);
    expect(config['post-hook']).toEqual([
      { sql: 'select 10', transaction: true, index: null },
      { sql: 'select 11', transaction: false, index: null },
    ]);
  });

  it('a saved manifest whose hooks are strings (an older Strata) or objects (dbt): state:modified and --defer read it', async () => {
    const p = project(FILES);
    expect((await build({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    const saved = manifestOf(p.dir);
    // As the previous Strata wrote it: `pre_hook` / `post_hook`, each hook one string (JSON text for an outside one).
    for (const n of Object.values(saved.nodes)) {
      for (const [dashed, snake] of [['pre-hook', 'pre_hook'], ['post-hook', 'post_hook']] as const) {
        if (!(dashed in n.config)) continue;
        n.config[snake] = (n.config[dashed] as { sql: string; transaction: boolean }[]).map((h) => (h.transaction ? h.sql : JSON.stringify({ sql: h.sql, transaction: false })));
        delete n.config[dashed];
      }
    }
    for (const [name, manifest] of [['old', saved], ['new', manifestOf(p.dir)]] as const) {
      const state = join(p.dir, name);
      mkdirSync(state);
      writeFileSync(join(state, 'manifest.json'), JSON.stringify(manifest));
      const modified = await list({ projectDir: p.dir, profilesDir: p.dir, select: ['state:modified'], state });
      expect(modified.exitCode, name).toBe(0);
      expect(modified.lines, name).toEqual([]);
      const deferred = await build({ projectDir: p.dir, profilesDir: p.dir, select: ['glaze'], state, defer: true });
      expect(deferred.diagnostics.filter((d) => d.severity === 'error'), name).toEqual([]);
    }
    // An edited hook is a modified config.
    p.write('models/kiln.sql', "{{ config(materialized='table', pre_hook=['select 22', before_begin('select 21')]) }} select 1 as id");
    const edited = await list({ projectDir: p.dir, profilesDir: p.dir, select: ['state:modified'], state: join(p.dir, 'old'), output: 'name' });
    expect(edited.lines).toContain('kiln');
  });

  it('reads back a hook given as text, JSON text or an object', () => {
    expect(hookObjects(['select 1', '{"sql": "checkpoint", "transaction": false}', { sql: 'select 2', transaction: false, index: 3 }, { sql: 'select 3' }])).toEqual([
      { sql: 'select 1', transaction: true, index: null },
      { sql: 'checkpoint', transaction: false, index: null },
      { sql: 'select 2', transaction: false, index: 3 },
      { sql: 'select 3', transaction: true, index: null },
    ]);
  });
});
