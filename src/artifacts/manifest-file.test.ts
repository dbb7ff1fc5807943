/** manifest.json is rewritten only at its head when the graph and the compiled SQL are those of the last write. */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { prepareProject, type PreparedProject } from '../api/index.js';
import { writeManifest } from '../api/run-artifacts.js';
import { Compiler, RelationIndex } from '../compile/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const FILES = {
  'models/a.sql': "{{ config(materialized='table') }} select 1 as id, 'hello world secret' as greeting",
  'models/b.sql': "select * from {{ ref('a') }}",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    description: The A model.\n    columns:\n      - name: id\n        data_tests: [unique]\n',
};

async function prepare(dir: string, noParseCache = false): Promise<PreparedProject> {
  const out = await prepareProject({ projectDir: dir, profilesDir: dir, storeGraph: true, noParseCache });
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  return out.prepared;
}

async function compileAll(p: PreparedProject): Promise<void> {
  const compiler = new Compiler({ manifest: p.graph.manifest, engine: p.engine, dialect: p.adapter.dialect, relations: new RelationIndex(p.graph.manifest), fullRefresh: false, compiledDir: join(p.targetDir, 'compiled'), isIncremental: () => false });
  await compiler.compileAll(p.graph.order.filter((id) => p.graph.manifest.nodes[id]?.resourceType === 'model'));
}

function manifestOf(dir: string): { metadata: { invocation_id: string }; rest: unknown } {
  const { metadata, ...rest } = JSON.parse(readFileSync(join(dir, 'target', 'manifest.json'), 'utf8')) as { metadata: { invocation_id: string } };
  return { metadata, rest };
}

describe('manifest.json', () => {
  it('keeps the body of an unchanged graph and rewrites its head; equal to a fresh write', async () => {
    const dir = writeProject(FILES);
    dirs.push(dir);
    const first = await prepare(dir);
    expect(first.parsedFrom).toBe('files');
    expect(writeManifest(first)).toBe('written');
    const warm = await prepare(dir);
    expect(warm.parsedFrom).toBe('snapshot');
    expect(writeManifest(warm)).toBe('reused');
    const reused = manifestOf(dir);
    expect(reused.metadata.invocation_id).toBe(warm.invocationId);

    const fresh = await prepare(dir, true);
    expect(writeManifest(fresh)).toBe('written');
    expect(manifestOf(dir).rest).toEqual(reused.rest);
  });

  it('is written in full when compiled SQL, the graph or the file itself changed', async () => {
    const dir = writeProject(FILES);
    dirs.push(dir);
    writeManifest(await prepare(dir));
    let p = await prepare(dir);
    await compileAll(p);
    expect(writeManifest(p)).toBe('written');
    const compiled = manifestOf(dir).rest as { nodes: Record<string, { compiled_code: string | null }> };
    expect(compiled.nodes['model.p.b']!.compiled_code).toContain('select * from');
    p = await prepare(dir);
    await compileAll(p);
    expect(writeManifest(p)).toBe('reused');
    expect(manifestOf(dir).rest).toEqual(compiled);
    // The same graph without compiled SQL is another manifest.
    expect(writeManifest(await prepare(dir))).toBe('written');
    expect((manifestOf(dir).rest as typeof compiled).nodes['model.p.b']!.compiled_code).toBeNull();

    writeFileSync(join(dir, 'models/b.sql'), "select id from {{ ref('a') }}");
    expect(writeManifest(await prepare(dir))).toBe('written');
    expect(JSON.stringify(manifestOf(dir).rest)).toContain('select id from');

    writeManifest(await prepare(dir));
    const path = join(dir, 'target', 'manifest.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('The A model.', 'Edited by hand'));
    expect(writeManifest(await prepare(dir))).toBe('written');
    expect(readFileSync(path, 'utf8')).toContain('The A model.');
  });

  it('is written in full, scrubbed, when a secret new since the last write appears in it', async () => {
    const dir = writeProject(FILES);
    dirs.push(dir);
    writeManifest(await prepare(dir));
    const p = await prepare(dir);
    expect(p.parsedFrom).toBe('snapshot');
    p.scrubber.add('hello world secret');
    expect(writeManifest(p)).toBe('written');
    const path = join(dir, 'target', 'manifest.json');
    expect(readFileSync(path, 'utf8')).not.toContain('hello world secret');
    // A scrubbed body is reused with its masks, even once the value is no longer a secret.
    expect(writeManifest(await prepare(dir))).toBe('reused');
    expect(readFileSync(path, 'utf8')).not.toContain('hello world secret');
    // A secret that does not occur in it does not stop reuse; one that does makes a full, scrubbed write.
    const withSecret = await prepare(dir);
    withSecret.scrubber.add('not-in-the-manifest');
    expect(writeManifest(withSecret)).toBe('reused');
    expect(manifestOf(dir).metadata.invocation_id).toBe(withSecret.invocationId);
    const another = await prepare(dir);
    another.scrubber.add('The A model.');
    expect(writeManifest(another)).toBe('written');
    expect(readFileSync(path, 'utf8')).not.toContain('The A model.');
  });
});
