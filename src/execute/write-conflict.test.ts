/**
 * Two nodes built side by side whose hooks write one table: DuckDB fails all but the first writer ("Conflict on
 * update!", "Catalog write-write conflict"); the failed node's message is a `write-conflict` diagnostic naming
 * the hook, where it is written, the other writers and the fix, with DuckDB's message kept at its end.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { build } from '../api/index.js';
import type { Reporter } from '../diagnostics/index.js';
import { PROJECT_YML } from '../test-support/fixture-project.js';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { asHook } from '../materializations/index.js';
import type { ManifestNode } from '../parse/types.js';
import { writeConflictDiagnostic } from './write-conflict.js';

const project = duckDbProjectsRemovedAfterAll();

/**
 * Each post-hook bumps the shared counter; with a gate, it then reads a named pipe, which DuckDB's read_csv does
 * until the pipe's writer closes it, so its transaction stays open until the test opens the gate.
 */
const bump = (gate?: string): string =>
  `{{ config(materialized='table', post_hook=['update main.tally set n = n + 1'${gate ? `, "select count(*) from read_csv('${gate}', header=false, columns={'line': 'varchar'})"` : ''}]) }} select 1 as v`;

/**
 * A named pipe the first node to bump the counter waits on: the test opens it once the other node has failed, so
 * the two updates overlap however slow the machine is. `close` frees a writer left waiting for a reader.
 */
function gateIn(dir: string): { path: string; open: () => void; close: () => Promise<void> } {
  const path = join(dir, 'gate.fifo');
  execFileSync('mkfifo', [path]);
  let writing: Promise<void> | undefined;
  return {
    path,
    open: () => { writing ??= writeFile(path, 'go\n'); },
    close: async () => {
      if (!writing) return;
      const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      await writing;
      closeSync(reader);
    },
  };
}

describe('two nodes writing one table at once (DuckDB)', () => {
  it('fails the later writer with write-conflict: its hook, the other writer, the fix and DuckDB message', async () => {
    const f = project({ 'project.yml': PROJECT_YML('p', 'on-run-start:\n  - "create or replace table main.tally as select 0 as n"\n'), 'models/left_bin.sql': bump(), 'models/right_bin.sql': bump() });
    const gate = gateIn(f.dir);
    f.write('models/left_bin.sql', bump(gate.path));
    f.write('models/right_bin.sql', bump(gate.path));
    // The later update fails at once ("Conflict on update!"); its node's end opens the gate for the first.
    const reporter: Reporter = { emit: (e) => { if (e.type === 'node-finished' && e.result.status === 'error') gate.open(); } };
    const r = await build({ projectDir: f.dir, profilesDir: f.dir, threads: 2, reporter }).finally(gate.close);
    expect(r.exitCode).toBe(1);
    const failed = r.results.filter((x) => x.status === 'error');
    expect(failed).toHaveLength(1);
    const [mine, other] = failed[0]!.uniqueId === 'model.p.left_bin' ? ['left_bin', 'right_bin'] : ['right_bin', 'left_bin'];
    const message = failed[0]!.message ?? '';
    expect(message).toContain(`models/${mine}.sql:1: error [write-conflict] model '${mine}': post-hook 1 ('update main.tally set n = n + 1') wrote main.tally while another transaction was writing it (nodes run side by side with threads: 2)`);
    expect(message).toContain(`also written by model '${other}' (post-hook 1)`);
    expect(message).toContain(`hint: make '${mine}' wait for '${other}' (add -- depends_on: {{ ref('${other}') }} to models/${mine}.sql), or run with --threads 1; a shared counter`);
    expect(message).toContain('The warehouse said: TransactionContext Error: Conflict on update!');
    // The winner's update stands, the loser's was rolled back with its table.
    expect(await f.q('select n::int as n from main.tally')).toEqual([{ n: 1 }]);
    // One after another, both run.
    f.write('models/left_bin.sql', bump());
    f.write('models/right_bin.sql', bump());
    const serial = await build({ projectDir: f.dir, profilesDir: f.dir, threads: 1 });
    expect(serial.exitCode).toBe(0);
  });

  it("reads the table of DuckDB's catalog conflict, and a node building the same relation", async () => {
    const node = (name: string, extra: Partial<ManifestNode['config']> = {}): ManifestNode => ({ uniqueId: `model.p.${name}`, name, resourceType: 'model', originalFilePath: `models/${name}.sql`, config: { materialized: 'table', pre_hook: [], post_hook: [], ...extra } }) as unknown as ManifestNode;
    const nodes = [node('one', { post_hook: ['create or replace table main.shared as select 1'] }), node('two', { post_hook: ['create or replace table main.shared as select 2'] }), node('shared')];
    const context = { nodes, relationOf: (n: ManifestNode) => ({ schema: 'main', identifier: n.name }), siteOf: () => undefined, threads: 4 };
    const error = new Error('TransactionContext Error: Catalog write-write conflict on alter with "Schema\u0000main\u0000main\u0000Table\u0000main\u0000shared"');
    await asHook({ place: 'post-hook', index: 0, sql: 'create or replace table main.shared as select 2' }, () => Promise.reject(error)).catch(() => undefined);
    const d = writeConflictDiagnostic(error, { ...context, node: nodes[1]! });
    expect(d?.message).toContain("post-hook 1 ('create or replace table main.shared as select 2') wrote main.shared");
    expect(d?.message).toContain("also written by model 'one' (post-hook 1), model 'shared' (its build)");
    // Its own build, against a node building the same relation: another alias.
    const build = new Error('TransactionContext Error: Catalog write-write conflict on create with "Schema\u0000main\u0000main\u0000Table\u0000main\u0000shared"');
    expect(writeConflictDiagnostic(build, { ...context, node: node('copy') })?.hint).toBe('two nodes build one relation: give one of them another alias or schema');
    expect(writeConflictDiagnostic(new Error('Binder Error: no such column'), { ...context, node: nodes[0]! })).toBeUndefined();
  });
});
