/** Fixture projects a test file writes, removed once its tests are done. */
import { afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { queryDuckDb } from './duckdb-query.js';
import { writeProject, removeProject } from './fixture-project.js';

/** A `writeProject` for one test file: every folder it writes is removed after the file's tests. */
export function projectsRemovedAfterAll(): (files: Record<string, string>) => string {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeProject));
  return (files) => {
    const dir = writeProject(files);
    dirs.push(dir);
    return dir;
  };
}

/** A fixture project on the default DuckDB profile: its folder, database file, a way to rewrite a file, and queries on the file. */
export interface DuckDbFixture {
  dir: string;
  db: string;
  write: (file: string, text: string) => void;
  q: (sql: string) => Promise<Record<string, unknown>[]>;
}

/** `projectsRemovedAfterAll`, each project handed back with its DuckDB file and helpers (`DuckDbFixture`). */
export function duckDbProjectsRemovedAfterAll(): (files: Record<string, string>) => DuckDbFixture {
  const project = projectsRemovedAfterAll();
  return (files) => {
    const dir = project(files);
    const db = join(dir, 'target', 'test.duckdb');
    return { dir, db, write: (f, t) => writeFileSync(join(dir, f), t), q: (sql) => queryDuckDb(db, sql) };
  };
}
