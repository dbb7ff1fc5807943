/**
 * Issue 20's small items: `show --inline` and `compile --inline` honour `--defer`; `--warn-error` stops show,
 * docs generate and run-operation; `compile` names the compiled folder it really wrote.
 */
import { describe, it, expect } from 'vitest';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_YML } from '../test-support/fixture-project.js';
import { projectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { runStrata } from '../test-support/strata-cli.js';
import { build, compile, docsGenerate, runOperation, show } from './index.js';

const project = projectsRemovedAfterAll();

/** prod builds into schema main, ci into schema ci of the same file. */
const PROFILE = 'p:\n  target: ci\n  outputs:\n    ci:\n      type: duckdb\n      path: wh.duckdb\n      schema: ci\n    prod:\n      type: duckdb\n      path: wh.duckdb\n      schema: main\n';

describe('--inline with --defer', () => {
  it('reads refs this target has not built from the state manifest, in show and compile', async () => {
    const d = project({ 'project.yml': PROJECT_YML(), 'profiles.yml': PROFILE, 'models/m.sql': "{{ config(materialized='table') }} select 1 as id union all select 2" });
    expect((await build({ projectDir: d, profilesDir: d, target: 'prod' })).exitCode).toBe(0);
    const state = join(d, 'prod-state');
    mkdirSync(state);
    cpSync(join(d, 'target', 'manifest.json'), join(state, 'manifest.json'));
    const inline = "select count(*) as n from {{ ref('m') }}";
    const deferred = await show({ projectDir: d, profilesDir: d, inline, defer: true, state });
    expect(deferred.exitCode, JSON.stringify(deferred.diagnostics)).toBe(0);
    expect(deferred.previews[0]!.rows).toEqual([{ n: 2 }]);
    // Without --defer the ref is this target's relation, which does not exist.
    expect((await show({ projectDir: d, profilesDir: d, inline })).exitCode).toBe(1);
    const compiled = await compile({ projectDir: d, profilesDir: d, inline, defer: true, state });
    expect([...compiled.compiled.values()][0]).toContain('"main"."m"');
    expect((await show({ projectDir: d, profilesDir: d, inline, defer: true })).diagnostics[0]).toMatchObject({ code: 'state-not-found', file: '--defer' });
  });
});

describe('--warn-error', () => {
  it('turns a project warning into an error (exit 2) in show, docs generate and run-operation', async () => {
    const d = project({ 'models/a.sql': 'select 1 as id', 'models/schema.yml': 'version: 2\nmodels:\n  - name: missing\n', 'macros/op.sql': '{% macro op() %}{{ log("ran", info=True) }}{% endmacro %}' });
    expect((await show({ projectDir: d, profilesDir: d, inline: 'select 1 as x' })).exitCode).toBe(0);
    for (const r of [
      await show({ projectDir: d, profilesDir: d, inline: 'select 1 as x', warnError: true }),
      await docsGenerate({ projectDir: d, profilesDir: d, warnError: true }),
      await runOperation({ projectDir: d, profilesDir: d, macro: 'op', warnError: true }),
    ]) {
      expect(r.exitCode).toBe(2);
      expect(r.diagnostics.find((x) => x.severity === 'error')).toMatchObject({ code: 'patch-target-not-found', file: 'models/schema.yml' });
    }
    expect(existsSync(join(d, 'target', 'catalog.json'))).toBe(false);
    expect((await runOperation({ projectDir: d, profilesDir: d, macro: 'op' })).exitCode).toBe(0);
  });
});

describe('compile output', () => {
  it('names the compiled folder under --target-path', async () => {
    const d = project({ 'models/a.sql': 'select 1 as id' });
    const r = await runStrata(['compile', '--project-dir', d, '--profiles-dir', d, '--target-path', 'elsewhere', '--offline'], { env: { NO_COLOR: '1' } });
    expect(r.code, r.out).toBe(0);
    const out = r.stdout;
    expect(out).toContain('Compiled 1 nodes to elsewhere/compiled/');
    expect(existsSync(join(d, 'elsewhere', 'compiled', 'p', 'models', 'a.sql'))).toBe(true);
  });
});
