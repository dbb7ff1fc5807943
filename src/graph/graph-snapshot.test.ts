/** The graph snapshot under target/: a warm parse equals a fresh one, and any change to the project voids it. */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync, renameSync, statSync, utimesSync, writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { copyDemo } from '../test-support/demo-project.js';
import { prepareProject, type PreparedProject } from '../api/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

async function prepare(dir: string, extra: { env?: NodeJS.ProcessEnv; vars?: string; noParseCache?: boolean; threads?: number } = {}): Promise<PreparedProject> {
  const out = await prepareProject({ projectDir: dir, profilesDir: dir, ...extra });
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  return out.prepared;
}

/**
 * Everything a later stage reads: the manifest as JSON (getters included) and the graph's maps and order.
 * Where each ref and source call was written (`at`) serves only parse diagnostics; a snapshot drops it.
 */
function shape(p: PreparedProject): unknown {
  const { manifest, parentMap, childMap, order } = p.graph;
  return JSON.parse(JSON.stringify({ manifest, parentMap, childMap, order, diagnostics: p.diagnostics }, (k, v: unknown) => (k === 'at' ? undefined : v)));
}

/** Nodes by name, as plain JSON, without call positions (see shape). */
function byName(p: PreparedProject): Record<string, unknown> {
  const nodes = (shape(p) as { manifest: { nodes: Record<string, { name: string }> } }).manifest.nodes;
  return Object.fromEntries(Object.values(nodes).map((n) => [n.name, n]));
}

/** A first parse stores the graph (whatever command ran it); the second, finding no file changed, uses it. */
async function settle(dir: string, extra: { env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  expect((await prepare(dir, extra)).parsedFrom).toBe('files');
  expect((await prepare(dir, extra)).parsedFrom).toBe('snapshot');
}

/** Sets every file's time an hour back, as for a project checked out long ago (no file is "racy"). */
function age(dir: string, rels: string[]): void {
  const old = new Date(Date.now() - 3600_000);
  for (const r of rels) utimesSync(join(dir, r), old, old);
}

/** A project written an hour back (no file is "racy") and parsed until its graph is stored. */
async function storedProject(files: Record<string, string>, extra: { env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const dir = writeProject(files);
  dirs.push(dir);
  age(dir, Object.keys(files));
  await settle(dir, extra);
  return dir;
}

const FILES = {
  'models/a.sql': "{{ config(materialized='table', tags=['daily']) }} select 1 as id, {{ secret('STRATA_SNAPSHOT_PEPPER', 'x') }} as p",
  'models/b.sql': "select * from {{ ref('a') }} join {{ source('raw', 't') }} using (id)",
  'models/c.sql': "{% set cols = ['id'] %}select {% for c in cols %}{{ c }}{% endfor %} from {{ ref('b') }} where '{{ env_var('STRATA_SNAPSHOT_REGION', 'eu') }}' = 'eu'",
  'models/schema.yml': "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: t\nmodels:\n  - name: a\n    description: '{{ doc(\"a_doc\") }}'\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n  - name: b\n    description: 'Beschwerden – Übersicht ✓ 客户投诉'\n    columns:\n      - name: id\n        data_tests:\n          - relationships: {to: ref('a'), field: id}\n",
  'models/docs.md': '{% docs a_doc %}The A model.{% enddocs %}',
  'macros/m.sql': '{% macro twice(x) %}{{ x }} * 2{% endmacro %}',
  // Keys the snapshot's own encoding uses, written by a user: they must come back as written.
  'models/odd.sql': "{{ config(meta={'$diff': {'x': 1}, '$absent': ['y']}, alias='odd_one') }} select 1 as \"$f\"",
  'seeds/s.csv': 'id\n1\n',
  'tests/no_rows.sql': "select * from {{ ref('c') }} where false",
};

describe('graph snapshot', () => {
  it('gives the same manifest and graph as a full parse, on a fixture and on the demo', async () => {
    for (const dir of [writeProject(FILES), copyDemo()]) {
      dirs.push(dir);
      const fresh = await prepare(dir, { noParseCache: true });
      const cold = await prepare(dir);
      expect(cold.parsedFrom).toBe('files');
      const warm = await prepare(dir);
      expect(warm.parsedFrom).toBe('snapshot');
      // The snapshot is stored scrubbed, as manifest.json is: compared as written out (a secret()'s default is masked).
      const written = (p: PreparedProject): unknown => JSON.parse(fresh.scrubber.scrub(JSON.stringify(shape(p))));
      expect(written(warm)).toEqual(written(fresh));
      expect(shape(cold)).toEqual(shape(fresh));
    }
  });

  it('is not used once a file is edited, added, removed or renamed', async () => {
    const dir = await storedProject(FILES);
    expect((await prepare(dir)).parsedFrom).toBe('snapshot');

    writeFileSync(join(dir, 'models/b.sql'), "select * from {{ ref('a') }}");
    let p = await prepare(dir);
    expect(p.parsedFrom).toBe('files');
    expect(p.graph.parentMap['model.p.b']).toEqual(['model.p.a']);

    writeFileSync(join(dir, 'models/d.sql'), "select * from {{ ref('c') }}");
    p = await prepare(dir);
    expect(p.parsedFrom).toBe('files');
    expect(p.graph.order).toContain('model.p.d');
    // A graph was stored before, so this full parse stored its own: the next parse, unchanged, uses it.
    expect((await prepare(dir)).parsedFrom).toBe('snapshot');

    unlinkSync(join(dir, 'models/d.sql'));
    p = await prepare(dir);
    expect(p.parsedFrom).toBe('files');
    expect(p.graph.order).not.toContain('model.p.d');

    // A rename keeps size and time: only the path tells.
    renameSync(join(dir, 'seeds/s.csv'), join(dir, 'seeds/e.csv'));
    p = await prepare(dir);
    expect(p.parsedFrom).toBe('files');
    expect(p.graph.manifest.nodes['seed.p.e']).toBeDefined();
    expect(p.graph.manifest.nodes['seed.p.s']).toBeUndefined();
  });

  it('checks by content a file edited in the same clock tick as its last read', async () => {
    const dir = writeProject(FILES);
    dirs.push(dir);
    await settle(dir); // every file was written just now: all are too fresh to trust by stamp
    const file = join(dir, 'models/b.sql');
    const before = statSync(file);
    // Same size, same modification time: the stamp cannot tell.
    writeFileSync(file, readFileSync(file, 'utf8').replace("ref('a')", "ref('s')"));
    utimesSync(file, before.atime, before.mtime);
    const p = await prepare(dir);
    expect(p.parsedFrom).toBe('files');
    expect(p.graph.parentMap['model.p.b']).toContain('seed.p.s');
  });

  it('is not used when vars or an env var the parse read change', async () => {
    const dir = writeProject({ ...FILES, 'models/v.sql': "select {{ var('n', 1) }} as n" });
    dirs.push(dir);
    const env = { ...process.env, STRATA_SNAPSHOT_REGION: 'eu' };
    await settle(dir, { env });
    expect((await prepare(dir, { env })).parsedFrom).toBe('snapshot');
    const us = { env: { ...env, STRATA_SNAPSHOT_REGION: 'us' } };
    expect((await prepare(dir, us)).parsedFrom).toBe('files');
    expect((await prepare(dir, us)).parsedFrom).toBe('snapshot'); // files unchanged: stored right away
    expect((await prepare(dir, { env, vars: '{n: 2}' })).parsedFrom).toBe('files');
  });

  it('is kept when --vars change only vars no template read; a var read renders again only its readers', async () => {
    const files = {
      ...FILES,
      'models/v.sql': "select {{ var('n', 1) }} as n",
      'models/w.sql': "{% if var('use_b', false) %}select * from {{ ref('b') }}{% else %}select * from {{ ref('a') }}{% endif %}",
      // A project override of dbt's naming macro that reads a var: every schema depends on it.
      'macros/schema_name.sql': "{% macro generate_schema_name(custom_schema_name, node) %}{{ target.schema }}{{ var('suffix', '') }}{% endmacro %}",
    };
    const dir = await storedProject(files);
    expect((await prepare(dir)).parsedFrom).toBe('snapshot');
    // A var nothing read (an Airflow run date, say): the stored graph holds.
    expect((await prepare(dir, { vars: '{run_date: "2026-11-25"}' })).parsedFrom).toBe('snapshot');
    // A var one model read in its SQL alone: that model is parsed again, and the stored graph holds.
    const n2 = await prepare(dir, { vars: '{n: 2}' });
    expect(n2.parsedFrom).toBe('patched');
    expect(shape(n2)).toEqual(shape(await prepare(dir, { vars: '{n: 2}', noParseCache: true })));
    expect((await prepare(dir, { vars: '{n: 2}' })).parsedFrom).toBe('snapshot');
    // A var that changes a model's refs: a full parse. It renders w again, and v, whose render in the cache
    // is still the one for n: 1 (the partial parse for n: 2 left the render cache alone); nothing else.
    const useB = await prepare(dir, { vars: '{n: 2, use_b: true}' });
    expect(useB.parsedFrom).toBe('files');
    expect(useB.perf.counts.rendered + useB.perf.counts.scanned).toBe(2);
    expect(useB.graph.parentMap['model.p.w']).toEqual(['model.p.b']);
    expect(shape(useB)).toEqual(shape(await prepare(dir, { vars: '{n: 2, use_b: true}', noParseCache: true })));
    // A var the naming macro read: schemas change, so the graph does.
    const suffixed = await prepare(dir, { vars: '{n: 2, use_b: true, suffix: _x}' });
    expect(suffixed.parsedFrom).toBe('files');
    expect(suffixed.graph.manifest.nodes['model.p.a']!.schema).toBe('main_x');
    expect(shape(suffixed)).toEqual(shape(await prepare(dir, { vars: '{n: 2, use_b: true, suffix: _x}', noParseCache: true })));
  });

  it('is kept across --threads unless a template read target.threads; then only its readers render again', async () => {
    const dir = await storedProject(FILES);
    // As dbt's partial parsing: the thread count is not part of what a parse depends on.
    expect((await prepare(dir, { threads: 1 })).parsedFrom).toBe('snapshot');
    expect((await prepare(dir, { threads: 7 })).parsedFrom).toBe('snapshot');
    // A model whose refs depend on it: its parse is redone when the count changes.
    const t = await storedProject({ ...FILES, 'models/t.sql': "{% if target.threads > 2 %}select * from {{ ref('b') }}{% else %}select * from {{ ref('a') }}{% endif %}" });
    expect((await prepare(t, { threads: 4 })).graph.parentMap['model.p.t']).toEqual(['model.p.b']);
    const one = await prepare(t, { threads: 1 });
    expect(one.parsedFrom).toBe('files');
    expect(one.graph.parentMap['model.p.t']).toEqual(['model.p.a']);
    expect(shape(one)).toEqual(shape(await prepare(t, { threads: 1, noParseCache: true })));
    expect((await prepare(t, { threads: 1 })).parsedFrom).toBe('snapshot');
    expect((await prepare(t, { threads: 8 })).graph.parentMap['model.p.t']).toEqual(['model.p.b']);
  });

  it('renders var() and env_var() in source properties as dbt does, and a change to one is a full parse', async () => {
    const files = {
      'models/src.yml': "version: 2\nsources:\n  - name: landing\n    schema: \"{{ var('raw_schema', 'raw') }}\"\n    tables:\n      - name: calls\n        identifier: \"{{ env_var('STRATA_SNAPSHOT_CALLS_TABLE', 'calls_v1') }}\"\n",
      'models/m.sql': "select * from {{ source('landing', 'calls') }}",
    };
    const dir = await storedProject(files);
    const first = await prepare(dir);
    expect(first.parsedFrom).toBe('snapshot');
    expect(first.graph.manifest.sources['source.p.landing.calls']).toMatchObject({ schema: 'raw', identifier: 'calls_v1' });
    const other = await prepare(dir, { vars: '{raw_schema: bronze}', env: { ...process.env, STRATA_SNAPSHOT_CALLS_TABLE: 'calls_v2' } });
    expect(other.parsedFrom).toBe('files');
    expect(other.graph.manifest.sources['source.p.landing.calls']).toMatchObject({ schema: 'bronze', identifier: 'calls_v2' });
    // A var nobody reads still leaves the stored graph alone.
    expect((await prepare(dir, { vars: '{unrelated: 1}' })).parsedFrom).toBe('files'); // back to the defaults: parsed once
    expect((await prepare(dir, { vars: '{unrelated: 2}' })).parsedFrom).toBe('snapshot');
  });

  it('renders vars in a model\'s YAML config, and renders again a model whose template reads a config the YAML changed', async () => {
    const files = {
      'models/a.sql': 'select 1 as id',
      'models/b.sql': 'select 2 as id',
      // The template reads its own config, which comes from the YAML below (through `model.config`: while
      // parsing, config.get() answers '', as dbt's).
      'models/c.sql': "{% if model.config.materialized == 'table' %}select * from {{ ref('a') }}{% else %}select * from {{ ref('b') }}{% endif %}",
      'models/props.yml': "version: 2\nmodels:\n  - name: c\n    config:\n      materialized: table\n      schema: \"{{ var('c_schema', 'gold') }}\"\n  - name: a\n    columns:\n      - name: id\n        data_tests:\n          - not_null:\n              config:\n                where: \"id > {{ var('min_id', 0) }}\"\n",
    };
    const whereOf = (p: PreparedProject): unknown => Object.values(p.graph.manifest.nodes).find((n) => n.resourceType === 'test')?.config.where;
    const dir = await storedProject(files);
    let p = await prepare(dir);
    expect(p.parsedFrom).toBe('snapshot');
    expect(p.graph.parentMap['model.p.c']).toEqual(['model.p.a']);
    expect(p.graph.manifest.nodes['model.p.c']!.schema).toBe('main_gold');
    expect(whereOf(p)).toBe('id > 0');
    // A var a test's YAML config reads: a full parse, with the new condition.
    p = await prepare(dir, { vars: '{min_id: 5}' });
    expect(p.parsedFrom).toBe('files');
    expect(whereOf(p)).toBe('id > 5');
    // A var the YAML config reads: a full parse, with the new schema.
    p = await prepare(dir, { vars: '{c_schema: platinum}' });
    expect(p.parsedFrom).toBe('files');
    expect(p.graph.manifest.nodes['model.p.c']!.schema).toBe('main_platinum');
    // The YAML changes the config the template reads: its cached render must not be reused.
    writeFileSync(join(dir, 'models/props.yml'), files['models/props.yml'].replace('materialized: table', 'materialized: view'));
    p = await prepare(dir);
    expect(p.parsedFrom).toBe('files');
    expect(p.graph.parentMap['model.p.c']).toEqual(['model.p.b']);
    expect(shape(p)).toEqual(shape(await prepare(dir, { noParseCache: true })));
  });

  it('keeps secret values out and sets them from the environment again', async () => {
    const dir = writeProject(FILES);
    dirs.push(dir);
    const env = { ...process.env, STRATA_SNAPSHOT_PEPPER: 'pepper-value-not-to-store' };
    await settle(dir, { env });
    const warm = await prepare(dir, { env: { ...env, STRATA_SNAPSHOT_PEPPER: 'rotated-pepper' } });
    expect(warm.parsedFrom).toBe('snapshot');
    expect(warm.sessionSecrets.get('STRATA_SNAPSHOT_PEPPER')).toBe('rotated-pepper');
    expect(warm.scrubber.scrub('x rotated-pepper y')).not.toContain('rotated-pepper');
    for (const f of ['graph_snapshot.strata.json', 'graph_snapshot_body.strata.json']) expect(readFileSync(join(dir, 'target', f), 'utf8')).not.toContain('pepper-value');
  });

  it('keeps model SQL, and ignores a damaged snapshot', async () => {
    const dir = writeProject(FILES);
    dirs.push(dir);
    await settle(dir);
    const warm = await prepare(dir);
    expect(warm.parsedFrom).toBe('snapshot');
    expect(warm.graph.manifest.nodes['model.p.b']!.rawCode).toBe(FILES['models/b.sql']);
    const body = join(dir, 'target', 'graph_snapshot_body.strata.json');
    const stored = readFileSync(body);
    // Cut short: the node lengths no longer add up to the file's size.
    writeFileSync(body, stored.subarray(0, stored.length - 5));
    expect((await prepare(dir)).parsedFrom).toBe('files');
    writeFileSync(body, '{"id":');
    const again = await prepare(dir);
    expect(again.parsedFrom).toBe('files');
    expect(shape(again)).toEqual(shape(warm));
  });

  it('stores model SQL with the graph, except SQL a parse during edits did not read, which it reads from the file', async () => {
    const dir = writeProject(FILES);
    dirs.push(dir);
    age(dir, Object.keys(FILES));
    const bodyText = (): string => readFileSync(join(dir, 'target', 'graph_snapshot_body.strata.json'), 'utf8');
    const bSql = "join {{ source('raw', 't') }} using (id)";
    // Stored because nothing changed: it will be reused as it is, so the SQL is in it.
    await settle(dir);
    expect(bodyText()).toContain(bSql);
    // Stored after an edit that needed a full parse, which took b's render from the cache: b's SQL is not read to be stored.
    writeFileSync(join(dir, 'models/c.sql'), "select * from {{ ref('a') }}");
    expect((await prepare(dir)).parsedFrom).toBe('files');
    expect(bodyText()).not.toContain(bSql);
    const warm = await prepare(dir);
    expect(warm.parsedFrom).toBe('snapshot');
    expect(warm.graph.manifest.nodes['model.p.b']!.rawCode).toBe(FILES['models/b.sql']);
    expect(shape(warm)).toEqual(shape(await prepare(dir, { noParseCache: true })));
  });

  it('decodes a node only when it is read, and a masked secret in a node keeps the others readable', async () => {
    // The pepper reaches model m's config (env_var) and is a secret (secret()): the body stores it masked.
    const files = { ...FILES, 'models/m.sql': "{{ config(meta={'k': env_var('STRATA_SNAPSHOT_PEPPER')}) }} select {{ secret('STRATA_SNAPSHOT_PEPPER') }} as p" };
    const dir = writeProject(files);
    dirs.push(dir);
    const env = { ...process.env, STRATA_SNAPSHOT_PEPPER: 'pepper-in-config-é' };
    const fresh = await prepare(dir, { env, noParseCache: true });
    await settle(dir, { env });
    const text = readFileSync(join(dir, 'target', 'graph_snapshot_body.strata.json'), 'utf8');
    expect(text).not.toContain('pepper-in-config');
    const warm = await prepare(dir, { env });
    expect(warm.parsedFrom).toBe('snapshot');
    const record = warm.graph.manifest.nodes;
    // Not yet decoded: the record holds an index until the node is read.
    expect(typeof Object.getOwnPropertyDescriptor(record, 'model.p.b')?.value).toBe('number');
    expect(record['model.p.b']!.description).toBe('Beschwerden – Übersicht ✓ 客户投诉');
    expect(typeof Object.getOwnPropertyDescriptor(record, 'model.p.b')?.value).toBe('object');
    expect(typeof Object.getOwnPropertyDescriptor(record, 'model.p.c')?.value).toBe('number');
    expect(fresh.graph.manifest.nodes['model.p.m']!.config.meta).toEqual({ k: 'pepper-in-config-é' });
    expect(record['model.p.m']!.config.meta).toEqual({ k: '****' });
    const { m: _warmM, ...warmRest } = byName(warm);
    const { m: _freshM, ...freshRest } = byName(fresh);
    expect(warmRest).toEqual(freshRest);
  });

  it('takes an edit of a model\'s SQL alone into the stored graph (partial parsing), and anything more to a full parse', async () => {
    const dir = await storedProject(FILES);
    // Parses until the graph is stored (one or two parses, by what changed last).
    const storeGraph = async (): Promise<void> => {
      for (let i = 0; i < 3; i++) if ((await prepare(dir)).parsedFrom === 'snapshot') return;
      throw new Error('the graph was never stored');
    };
    const edit = async (text: string, env: NodeJS.ProcessEnv = process.env, model = 'b'): Promise<PreparedProject> => {
      writeFileSync(join(dir, `models/${model}.sql`), text);
      const p = await prepare(dir, { env });
      expect(shape(p)).toEqual(shape(await prepare(dir, { env, noParseCache: true })));
      return p;
    };
    const warm = await prepare(dir);
    expect(warm.parsedFrom).toBe('snapshot');

    // Same refs, sources and config: only the SQL and the checksum change.
    let p = await edit("select id, 1 as x from {{ ref('a') }} join {{ source('raw', 't') }} using (id) -- edited");
    expect(p.parsedFrom).toBe('patched');
    expect(p.graph.manifest.nodes['model.p.b']!.rawCode).toContain('-- edited');
    expect(p.graphId).not.toBe(warm.graphId);
    const again = await prepare(dir);
    expect(again.parsedFrom).toBe('snapshot');
    expect(again.graphId).toBe(p.graphId);
    expect(shape(again)).toEqual(shape(p));

    // A singular test's SQL, likewise.
    writeFileSync(join(dir, 'tests/no_rows.sql'), "select * from {{ ref('c') }} where 1 = 0");
    const testEdit = await prepare(dir);
    expect(testEdit.parsedFrom).toBe('patched');
    expect(shape(testEdit)).toEqual(shape(await prepare(dir, { noParseCache: true })));
    expect(testEdit.graph.manifest.nodes['test.p.no_rows']!.rawCode).toContain('1 = 0');

    // A second edit: another graph id.
    const before = p.graphId;
    p = await edit("select id, 2 as x from {{ ref('a') }} join {{ source('raw', 't') }} using (id)");
    expect(p.parsedFrom).toBe('patched');
    expect(p.graphId).not.toBe(before);

    // An env var read only by the SQL of a model rendered by nunjucks: watched from now on.
    const one = { ...process.env, STRATA_SNAPSHOT_EDIT: 'one' };
    p = await edit(`${FILES['models/c.sql']} and '{{ env_var('STRATA_SNAPSHOT_EDIT', 'x') }}' = 'one'`, one, 'c');
    expect(p.parsedFrom).toBe('patched');
    expect((await prepare(dir, { env: one })).parsedFrom).toBe('snapshot');
    expect((await prepare(dir, { env: { ...process.env, STRATA_SNAPSHOT_EDIT: 'two' } })).parsedFrom).toBe('files');
    // The same model read by the ref/source scanner before and by nunjucks after: its node says so, a full parse.
    await storeGraph();
    expect((await edit("select id, '{{ var('n', 1) }}' as n from {{ ref('a') }} join {{ source('raw', 't') }} using (id)")).parsedFrom).toBe('files');

    // A new ref, a config() change, a new doc reference: each is a full parse.
    for (const text of [
      "select * from {{ ref('a') }} join {{ source('raw', 't') }} using (id) join {{ ref('s') }} using (id)",
      "{{ config(materialized='table') }} select * from {{ ref('a') }} join {{ source('raw', 't') }} using (id)",
      "select * from {{ ref('a') }} join {{ source('raw', 't') }} using (id) where '{{ doc(\"a_doc\") }}' is not null",
    ]) {
      await storeGraph();
      expect((await edit(text)).parsedFrom).toBe('files');
    }
    // That full parse stored its graph: the next edit of SQL alone is partial again.
    expect((await edit(`select * from {{ ref('a') }} join {{ source('raw', 't') }} using (id) where '{{ doc("a_doc") }}' is not null -- again`)).parsedFrom).toBe('patched');

    // A property file edited alongside: a full parse.
    await storeGraph();
    writeFileSync(join(dir, 'models/schema.yml'), FILES['models/schema.yml'].replace("description: 'Beschwerden", "description: 'Neue Beschwerden"));
    expect((await edit("select * from {{ ref('a') }} join {{ source('raw', 't') }} using (id) -- with yaml")).parsedFrom).toBe('files');
  });

  it('is not written when the parse has errors', async () => {
    const dir = writeProject({ 'models/a.sql': "select * from {{ ref('nope') }}" });
    dirs.push(dir);
    const out = await prepareProject({ projectDir: dir, profilesDir: dir });
    expect(out.ok).toBe(false);
    expect(() => statSync(join(dir, 'target', 'graph_snapshot.strata.json'))).toThrow();
  });
});
