/** A secret env var refused at parse never reaches a file under target/ (the parse caches save before the refusal). */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { build, compile, docsGenerate, parse } from '../api/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const VALUES = { DBT_ENV_SECRET_BADGE: 'badge-7f3q-value', DBT_ENV_SECRET_NOTE: 'note-k2w9-value' };

describe('secret env vars and the caches in target/', () => {
  it('writes no secret read by a refused model anywhere under target/, on any command, cold or warm', async () => {
    const dir = writeProject({
      'models/kiosk.sql': "{{ config(materialized='table', meta={'badge': env_var('DBT_ENV_SECRET_BADGE')}) }}\nselect 1 as kiosk_id",
      'models/ledger.sql': "select '{{ note_text() }}' as note, 2 as ledger_id",
      'models/plain.sql': 'select 3 as plain_id',
      'macros/note_text.sql': "{% macro note_text() %}{{ env_var('DBT_ENV_SECRET_NOTE', 'none') }}{% endmacro %}",
    });
    dirs.push(dir);
    const env = { ...process.env, ...VALUES };
    const options = { projectDir: dir, profilesDir: dir, env };
    for (const run of [() => parse(options), () => compile(options), () => docsGenerate(options), () => build(options), () => parse(options)]) {
      const out = await run();
      expect(out.exitCode).toBe(2);
      expect(out.diagnostics.filter((d) => d.code === 'env-secret-in-sql').map((d) => d.file).sort()).toEqual(['models/kiosk.sql', 'models/ledger.sql']);
    }
    const written = filesUnder(join(dir, 'target'));
    // The cache was written (the plain model's render), so the check below reads a real file.
    expect(written.map((f) => f.slice(dir.length + 1))).toContain(join('target', 'partial_parse.strata.json'));
    for (const file of written) for (const value of Object.values(VALUES)) expect(readFileSync(file).includes(value), `${file} holds ${value}`).toBe(false);
  });
});
