/** A build after an edit of a model's SQL alone: the stored graph takes the edit (partial parsing), end to end. */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build, prepareProject } from './index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

describe('build after editing model SQL', () => {
  it('builds the edited SQL and writes it to manifest.json, from the stored graph', async () => {
    const files = {
      'models/a.sql': "{{ config(materialized='table') }} select 1 as id",
      'models/b.sql': "{{ config(materialized='table') }} select id, 'first' as label from {{ ref('a') }}",
    };
    const dir = writeProject(files);
    dirs.push(dir);
    const old = new Date(Date.now() - 3600_000);
    for (const f of Object.keys(files)) utimesSync(join(dir, f), old, old);
    for (let i = 0; i < 2; i++) expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);

    writeFileSync(join(dir, 'models/b.sql'), "{{ config(materialized='table') }} select id, 'second' as label from {{ ref('a') }}");
    const probe = await prepareProject({ projectDir: dir, profilesDir: dir });
    expect(probe.ok && probe.prepared.parsedFrom).toBe('patched');
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);

    expect(await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select label from main.b')).toEqual([{ label: 'second' }]);
    const manifest = JSON.parse(readFileSync(join(dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { raw_code: string; checksum: { checksum: string } }> };
    expect(manifest.nodes['model.p.b']!.raw_code).toContain("'second'");
    const compiled = readFileSync(join(dir, 'target', 'compiled', 'p', 'models', 'b.sql'), 'utf8');
    expect(compiled).toContain("'second'");

    // Compiled SQL unchanged, raw SQL changed: manifest.json is not reused from the graph before the edit.
    writeFileSync(join(dir, 'models/b.sql'), "{{ config(materialized='table') }} select id, 'second' as label from {{ ref('a') }} {# a note #}");
    const again = await prepareProject({ projectDir: dir, profilesDir: dir });
    expect(again.ok && again.prepared.parsedFrom).toBe('patched');
    expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    const next = JSON.parse(readFileSync(join(dir, 'target', 'manifest.json'), 'utf8')) as typeof manifest;
    expect(next.nodes['model.p.b']!.raw_code).toContain('a note');
    expect(next.nodes['model.p.b']!.checksum.checksum).not.toBe(manifest.nodes['model.p.b']!.checksum.checksum);
  });
});
