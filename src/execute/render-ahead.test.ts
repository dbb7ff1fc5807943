/**
 * Rendering ahead: a model waiting for a thread is rendered while the warehouse works on others, unless its
 * render asks the warehouse something; then it renders in its turn, after its parents are built.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { run } from '../api/index.js';
import { CapturingReporter } from '../diagnostics/index.js';
import type { ManifestNode } from '../parse/types.js';
import type { TemplateWarehouse } from '../templating/types.js';
import { RenderAhead } from './render-ahead.js';

const model = (id: string, materialized = 'table', parents: string[] = []): ManifestNode => ({ uniqueId: id, resourceType: 'model', config: { materialized }, dependsOn: { nodes: parents, macros: [] } }) as unknown as ManifestNode;

/** A compiler whose render of each node is the given function of the warehouse it is handed; `recorded` lists what was recorded. */
function compiler(renders: Record<string, (w: TemplateWarehouse) => Promise<string>>): { compileUnrecorded: (id: string, w?: TemplateWarehouse) => Promise<{ sql: string; record: () => Promise<void> }>; calls: string[]; recorded: string[] } {
  const calls: string[] = [];
  const recorded: string[] = [];
  return {
    calls,
    recorded,
    compileUnrecorded: async (id, w) => {
      calls.push(id);
      const sql = await renders[id]!(w!);
      return { sql, record: async () => void recorded.push(id) };
    },
  };
}

describe('RenderAhead', () => {
  it('keeps a render that asked the warehouse nothing, once', async () => {
    const c = compiler({ 'model.p.a': async () => 'select 1' });
    const ahead = new RenderAhead(c, { nodes: {} });
    ahead.start([model('model.p.a')]);
    ahead.start([model('model.p.a')]);
    expect(c.calls).toEqual(['model.p.a']);
    // Recorded (compiled_code, the compiled file) only when taken: a node skipped meanwhile leaves no trace.
    await new Promise((resolve) => setImmediate(resolve));
    expect(c.recorded).toEqual([]);
    expect(await ahead.take('model.p.a')).toBe('select 1');
    expect(c.recorded).toEqual(['model.p.a']);
    expect(await ahead.take('model.p.a')).toBeUndefined();
  });

  it('drops a render that asked the warehouse (even one that swallowed the refusal) or failed', async () => {
    const c = compiler({
      'model.p.q': async (w) => `select ${(await w.query('select 1')).rows.length}`,
      'model.p.s': async (w) => {
        const cols = await w.getColumns({ schema: 'main', identifier: 'a' }).catch(() => []);
        return `select ${cols.length} as n`;
      },
      'model.p.f': async () => {
        throw new Error('boom');
      },
    });
    const ahead = new RenderAhead(c, { nodes: {} });
    ahead.start([model('model.p.q'), model('model.p.s'), model('model.p.f')]);
    expect(c.calls).toEqual(['model.p.q', 'model.p.s', 'model.p.f']);
    for (const id of ['model.p.q', 'model.p.s', 'model.p.f']) expect(await ahead.take(id)).toBeUndefined();
    expect(c.recorded).toEqual([]);
  });

  it('renders ahead neither ephemeral models nor models that read one', async () => {
    const eph = model('model.p.e', 'ephemeral');
    const c = compiler({});
    const ahead = new RenderAhead(c, { nodes: { 'model.p.e': eph } });
    ahead.start([eph, model('model.p.r', 'table', ['model.p.e']), { ...model('test.p.t'), resourceType: 'test' } as ManifestNode]);
    expect(c.calls).toEqual([]);
  });
});

describe('a run with one thread', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeProject));

  it('builds models whose renders read the warehouse from what their parents built', async () => {
    // a and z are roots: while a builds, z waits, and once a is built b and c wait while z builds.
    const dir = writeProject({
      'models/a.sql': "select 1 as id, 'x' as name",
      'models/z.sql': 'select 42 as answer',
      'models/b.sql': "select * from {{ ref('a') }}",
      'models/c.sql': "{% set cols = adapter.get_columns_in_relation(ref('a')) %}select {% for col in cols %}{{ col.name }}{% if not loop.last %}, {% endif %}{% endfor %} from {{ ref('a') }}",
      // The ref in the execute block is unseen at parse: dbt and Strata need the depends_on line.
      'models/d.sql': "-- depends_on: {{ ref('b') }}\n{% if execute %}{% set n = run_query('select count(*) from ' ~ ref('b')).columns[0].values()[0] %}{% else %}{% set n = -1 %}{% endif %}select {{ n }} as n, * from {{ ref('z') }}",
    });
    dirs.push(dir);
    const r = await run({ projectDir: dir, profilesDir: dir, threads: 1 });
    expect(r.results.map((x) => `${x.uniqueId.split('.').pop()} ${x.status}`).sort()).toEqual(['a success', 'b success', 'c success', 'd success', 'z success']);
    const db = join(dir, 'target', 'test.duckdb');
    expect(await queryDuckDb(db, 'select * from main.c')).toEqual([{ id: 1, name: 'x' }]);
    expect(await queryDuckDb(db, 'select * from main.d')).toEqual([{ n: 1, answer: 42 }]);
    expect(readFileSync(join(dir, 'target', 'compiled', 'p', 'models', 'c.sql'), 'utf8')).toMatch(/^select id, name from/);
  });

  it("shows a model's log() in its own turn, after its START line, even when rendered ahead", async () => {
    // b waits for the one thread while a builds: it is rendered ahead, and its log must not come before its START.
    const dir = writeProject({
      'models/a.sql': "{{ log('a says hello', info=True) }}select 1 as id",
      'models/b.sql': "{{ log('b says hello', info=True) }}select 2 as id",
    });
    dirs.push(dir);
    const reporter = new CapturingReporter();
    const r = await run({ projectDir: dir, profilesDir: dir, threads: 1, reporter });
    expect(r.exitCode).toBe(0);
    const seen = reporter.events.flatMap((e) => (e.type === 'node-started' ? [`start ${e.uniqueId}`] : e.type === 'info' && e.message.endsWith(' says hello') ? [e.message] : []));
    // Once while parsing (as dbt's parse renders them too), then each in its node's turn: a rendered in turn, b ahead.
    expect(seen.slice(2)).toEqual(['start model.p.a', 'a says hello', 'start model.p.b', 'b says hello']);
    expect(seen.slice(0, 2).sort()).toEqual(['a says hello', 'b says hello']);
  });

  it('leaves no compiled SQL for a model rendered ahead and then skipped by --fail-fast', async () => {
    const dir = writeProject({
      'models/a_fails.sql': 'select * from no_such_table',
      'models/b_ok.sql': 'select 1 as id',
    });
    dirs.push(dir);
    const r = await run({ projectDir: dir, profilesDir: dir, threads: 1, failFast: true });
    expect(r.results.map((x) => `${x.uniqueId.split('.').pop()} ${x.status}`).sort()).toEqual(['a_fails error', 'b_ok skipped']);
    expect(existsSync(join(dir, 'target', 'compiled', 'p', 'models', 'b_ok.sql'))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { compiled_code?: string }> };
    expect(manifest.nodes['model.p.b_ok']!.compiled_code ?? null).toBeNull();
  });
});

