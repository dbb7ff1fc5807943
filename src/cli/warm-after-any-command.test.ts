/**
 * Issue #19: whatever command parsed a project cold, it leaves the parse caches complete, so the next
 * command's parse is warm (the graph snapshot, no file rendered again). Run as a user runs Strata.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { runStrata } from '../test-support/strata-cli.js';

const strata = (args: string[], d: string) => runStrata([...args, '--project-dir', d, '--profiles-dir', d], { cwd: d });
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

/** Models that take the static scan, and models that need a full render (a macro call, a loop). */
const FILES = {
  'macros/m.sql': '{% macro cents(col) %}({{ col }} / 100.0){% endmacro %}',
  'models/a.sql': 'select 1 as id, 250 as amount',
  'models/b.sql': "{{ config(materialized='table', tags=['t']) }}\nselect id, {{ cents('amount') }} as amount from {{ ref('a') }}\n{% if is_incremental() %}where id > (select max(id) from {{ this }}){% endif %}\n",
  'models/c.sql': "{% set parents = ['a', 'b'] %}\n{% for p in parents %}select id from {{ ref(p) }}{% if not loop.last %} union all {% endif %}{% endfor %}\n",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: b\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
};

describe('parse caches after any command', () => {
  it.each([
    ['ls', ['ls']],
    ['compile', ['compile']],
    ['show', ['show', '--select', 'a']],
    ['docs generate', ['docs', 'generate']],
    ['build', ['build']],
  ])('a cold `strata %s` leaves them complete: the next parse renders no file', async (_name, args) => {
    const d = writeProject(FILES);
    dirs.push(d);
    const first = await strata(args, d);
    expect(first.code, first.out).toBe(0);
    // Each cache file was written whole and renamed into place: no temporary file is left behind.
    expect(readdirSync(join(d, 'target')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const next = await strata(['parse'], d);
    expect(next.code, next.out).toBe(0);
    expect(next.out).toContain('nothing changed since the last parse');
    const perf = JSON.parse(readFileSync(join(d, 'target', 'perf_info.json'), 'utf8')) as Record<string, unknown>;
    expect(perf).toMatchObject({ used_graph_snapshot: true, parsed_path_count: 0, cached_path_count: 0 });
  });

  it('a cold parse that fails leaves no graph, and the next parse renders only what it must', async () => {
    const d = writeProject({ ...FILES, 'models/d.sql': "select * from {{ ref('nope') }}" });
    dirs.push(d);
    expect((await strata(['ls'], d)).code).toBe(2);
    expect((await strata(['parse'], d)).code).toBe(2);
    // Fixed, the model is parsed again; the files that rendered cleanly come from the render cache.
    writeFileSync(join(d, 'models', 'd.sql'), "select * from {{ ref('a') }}");
    expect((await strata(['parse'], d)).code).toBe(0);
    const perf = JSON.parse(readFileSync(join(d, 'target', 'perf_info.json'), 'utf8')) as Record<string, unknown>;
    expect(perf).toMatchObject({ used_graph_snapshot: false, parsed_path_count: 1, cached_path_count: 3 });
  });
});
