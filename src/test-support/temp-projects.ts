/** Fixture projects a test file writes, removed once its tests are done. */
import { afterAll } from 'vitest';
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
