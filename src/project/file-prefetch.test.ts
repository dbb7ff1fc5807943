/** Files read on a second thread ahead of a full parse give the same text, checksum and stamp as reading them here. */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { diskFileSource } from './file-source.js';
import { hexDigest } from './digest.js';
import { LazyProjectFile } from './project-file.js';
import { prepareProject } from '../api/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

// The thread runs compiled JavaScript: these tests use the build in dist/ (`npm test` builds it first).
const built = async <T>(rel: string): Promise<T> => {
  const url = new URL(`../../dist/${rel}`, import.meta.url);
  if (!existsSync(fileURLToPath(url))) throw new Error('dist/ is missing: run npm run build (npm test does)');
  return (await import(url.href)) as T;
};

const models = (n: number): Record<string, string> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`models/f${i % 9}/m${i}.sql`, i === 0 ? 'select 1 as id' : `-- model ${i} é\nselect * from {{ ref('m${i - 1}') }}`]));

describe('reading project files ahead, on a second thread', () => {
  it('delivers each file as read here; a file it cannot read is read here, with the error it gives', async () => {
    const { FilePrefetch } = await built<typeof import('./file-prefetch.js')>('project/file-prefetch.js');
    const { LazyProjectFile: BuiltFile } = await built<typeof import('./project-file.js')>('project/project-file.js');
    const { diskFileSource: builtDisk } = await built<typeof import('./file-source.js')>('project/file-source.js');
    const dir = writeProject(models(700));
    dirs.push(dir);
    const paths = Object.keys(models(700)).map((rel) => join(dir, rel));
    const files = paths.map((abs) => new BuiltFile('model', abs.slice(dir.length + 1), abs.slice(dir.length + 8), 'models', abs, builtDisk));
    rmSync(paths[400]!);
    expect(files[0]!.onDisk).toBe(true);
    expect(FilePrefetch.start(files, 600)).toBe(true);
    // Asked out of order: the last file first, then the others.
    for (const i of [699, 0, 1, 350, 401, 698]) {
      const f = files[i]!;
      const text = diskFileSource.read(f.absPath);
      expect(f.contents).toBe(text);
      expect(f.checksum).toBe(hexDigest('sha256', text));
      const st = statSync(f.absPath);
      expect(f.currentStamp()).toEqual({ size: st.size, mtimeMs: st.mtimeMs });
    }
    expect(() => files[400]!.contents).toThrow(/ENOENT/);
    expect(files.every((f) => f.pending === undefined)).toBe(true);
  });

  it('does not start for a few files, nor for files not on the disk', async () => {
    const { FilePrefetch } = await built<typeof import('./file-prefetch.js')>('project/file-prefetch.js');
    const dir = writeProject(models(3));
    dirs.push(dir);
    const files = Object.keys(models(3)).map((rel) => new LazyProjectFile('model', rel, rel.slice(7), 'models', join(dir, rel), diskFileSource));
    expect(FilePrefetch.start(files)).toBe(false);
    expect(files.every((f) => f.pending === undefined)).toBe(true);
    const elsewhere = new LazyProjectFile('model', 'models/x.sql', 'x.sql', 'models', '/nowhere/x.sql', { ...diskFileSource, readStamped: undefined });
    expect(elsewhere.onDisk).toBe(false);
  });

  it('parses a large project to the same graph as reading every file on the parsing thread', async () => {
    const api = await built<typeof import('../api/index.js')>('api/index.js');
    const dir = writeProject(models(1200));
    dirs.push(dir);
    // From dist/ the files are read ahead (1,200 > PREFETCH_AFTER); from the TypeScript sources they are not.
    const ahead = await api.prepareProject({ projectDir: dir, profilesDir: dir, noParseCache: true });
    const here = await prepareProject({ projectDir: dir, profilesDir: dir, noParseCache: true });
    if (!ahead.ok || !here.ok) throw new Error('parse failed');
    const shape = (nodes: Record<string, { checksum: unknown; rawCode: string; dependsOn: unknown }>) => Object.entries(nodes).map(([id, n]) => [id, n.checksum, n.rawCode, n.dependsOn]);
    expect(ahead.prepared.perf.readAhead).toBe(1200);
    expect(here.prepared.perf.readAhead).toBe(0);
    expect(Object.keys(ahead.prepared.graph.manifest.nodes)).toHaveLength(1200);
    expect(shape(ahead.prepared.graph.manifest.nodes)).toEqual(shape(here.prepared.graph.manifest.nodes));
  });
});
