import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { prepareProject, type PreparedProject } from '../api/index.js';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { selectNodes } from './select-nodes.js';
import { formatList } from './format-list.js';

/** raw(seed) → stg → int → mart_a, mart_b;  other (tagged nightly, table) independent;  tests on stg and mart_a. */
const files = {
  'project.yml': 'name: p\nprofile: p\nmodels:\n  p:\n    marts:\n      +materialized: table\n      +tags: [marts]\n',
  'seeds/raw.csv': 'id\n1\n',
  'models/staging/stg.sql': "select * from {{ ref('raw') }}",
  'models/int.sql': "select * from {{ ref('stg') }}",
  'models/marts/mart_a.sql': "select * from {{ ref('int') }}",
  'models/marts/mart_b.sql': "select * from {{ ref('int') }}",
  'models/other.sql': "{{ config(tags=['nightly'], materialized='table') }} select 1 as id",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: stg\n    columns:\n      - name: id\n        data_tests: [not_null]\n  - name: mart_a\n    data_tests:\n      - relationships:\n          column_name: id\n          to: ref(\'other\')\n          field: id\n',
  'tests/singular_check.sql': "select * from {{ ref('mart_b') }} where false",
};

let dir: string;
let p: PreparedProject;
beforeAll(async () => {
  dir = writeProject(files);
  const outcome = await prepareProject({ projectDir: dir, profilesDir: dir });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.diagnostics));
  p = outcome.prepared;
});
afterAll(() => removeProject(dir));

const names = (select?: string[], exclude?: string[], resourceTypes?: string[]): string[] =>
  selectNodes(p.graph, { select, exclude, resourceTypes }).ids.map((id) => p.graph.manifest.nodes[id]?.name ?? id);
const models = (select?: string[], exclude?: string[]): string[] => names(select, exclude, ['model', 'seed']);

describe('selectors', () => {
  it('selects by name and with graph operators', () => {
    expect(models(['int'])).toEqual(['int']);
    expect(models(['+int'])).toEqual(['raw', 'stg', 'int']);
    expect(models(['int+'])).toEqual(['int', 'mart_a', 'mart_b']);
    expect(models(['1+int'])).toEqual(['stg', 'int']);
    expect(models(['stg+1'])).toEqual(['stg', 'int']);
    expect(models(['@stg']).sort()).toEqual(['int', 'mart_a', 'mart_b', 'other', 'raw', 'stg']);
  });

  it('selects by method', () => {
    expect(models(['tag:nightly'])).toEqual(['other']);
    expect(models(['tag:marts'])).toEqual(['mart_a', 'mart_b']);
    expect(models(['path:models/marts'])).toEqual(['mart_a', 'mart_b']);
    expect(models(['config.materialized:table']).sort()).toEqual(['mart_a', 'mart_b', 'other']);
    expect(models(['resource_type:seed'])).toEqual(['raw']);
    expect(models(['marts'])).toEqual(['mart_a', 'mart_b']);
    expect(models(['p.marts.*'])).toEqual(['mart_a', 'mart_b']);
    expect(models(['mart_*'])).toEqual(['mart_a', 'mart_b']);
    expect(models(['file:int.sql'])).toEqual(['int']);
    // As dbt: without a method, a value with a slash is a path, one ending in .sql/.csv a file name.
    expect(models(['models/marts'])).toEqual(['mart_a', 'mart_b']);
    expect(models(['seeds/raw.csv', 'int.sql'])).toEqual(['raw', 'int']);
  });

  it('unions on spaces and separate arguments, intersects on commas, subtracts --exclude', () => {
    expect(models(['int other'])).toEqual(['other', 'int']);
    expect(models(['int', 'other'])).toEqual(['other', 'int']);
    expect(models(['tag:marts,mart_a'])).toEqual(['mart_a']);
    expect(models(['config.materialized:table,tag:nightly'])).toEqual(['other']);
    expect(models(['+mart_a'], ['raw'])).toEqual(['stg', 'int', 'mart_a']);
  });

  it('selects tests indirectly (eager) and by test type and name', () => {
    const tests = (s: string[]): string[] => names(s, undefined, ['test']);
    expect(tests(['stg'])).toEqual(['not_null_stg_id']);
    expect(tests(['other']).map((n) => n.slice(0, 26))).toEqual(['relationships_mart_a_id__i']);
    expect(tests(['test_type:singular'])).toEqual(['singular_check']);
    expect(tests(['test_type:generic']).length).toBe(2);
    expect(tests(['test_name:not_null'])).toEqual(['not_null_stg_id']);
    expect(names(['stg'], ['stg'], ['test'])).toEqual([]);
  });

  it('reports unknown methods as errors and empty matches as warnings', () => {
    const bad = selectNodes(p.graph, { select: ['colour:red'] });
    expect(bad.diagnostics[0]).toMatchObject({ code: 'selector-invalid', severity: 'error' });
    const empty = selectNodes(p.graph, { select: ['nothing_here'] });
    expect(empty.diagnostics[0]).toMatchObject({ code: 'selector-matched-nothing', severity: 'warn' });
    // As dbt: a trailing comma intersects with an empty fqn selector, which matches nothing (a warning, not an error).
    const trailing = selectNodes(p.graph, { select: ['tag:marts,'] });
    expect(trailing.ids).toEqual([]);
    expect(trailing.diagnostics).toMatchObject([{ code: 'selector-matched-nothing', severity: 'warn' }]);
    // state:, result: and source_status: need --state.
    expect(selectNodes(p.graph, { select: ['state:modified'] }).diagnostics[0]).toMatchObject({ code: 'selector-invalid', message: expect.stringContaining('pass --state') });
    expect(selectNodes(p.graph, { select: ['result:error'] }).diagnostics[0]).toMatchObject({ code: 'selector-invalid', message: expect.stringContaining('pass --state') });
  });

  it('formats ls output', () => {
    const ids = selectNodes(p.graph, { select: ['+int'], resourceTypes: ['model', 'seed'] }).ids;
    expect(formatList(p.graph, ids, 'selector')).toEqual(['p.raw', 'p.staging.stg', 'p.int']);
    expect(formatList(p.graph, ids, 'path')).toEqual(['seeds/raw.csv', 'models/staging/stg.sql', 'models/int.sql']);
    expect(JSON.parse(formatList(p.graph, ids, 'json')[2]!)).toMatchObject({ name: 'int', resource_type: 'model', unique_id: 'model.p.int', depends_on: { nodes: ['model.p.stg'] } });
  });
});

describe('indirect selection', () => {
  it('eager, cautious, buildable and empty choose which tests join their selected parents', async () => {
    const dir = writeProject({
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "select id from {{ ref('a') }}",
      'models/schema.yml': "version: 2\nmodels:\n  - name: b\n    columns:\n      - name: id\n        data_tests:\n          - not_null\n          - relationships: {to: ref('a'), field: id}\n",
    });
    try {
      const outcome = await prepareProject({ projectDir: dir, profilesDir: dir });
      if (!outcome.ok) throw new Error(JSON.stringify(outcome.diagnostics));
      const g = outcome.prepared.graph;
      const tests = (mode: 'eager' | 'cautious' | 'buildable' | 'empty'): string[] =>
        selectNodes(g, { select: ['b'], indirectSelection: mode }).ids.filter((id) => id.startsWith('test.')).map((id) => id.split('.')[2]!.split('_')[0]!).sort();
      expect(tests('eager')).toEqual(['not', 'relationships']);
      // The relationships test also reads a, which is not selected: cautious leaves it out, buildable keeps it (a is upstream of b).
      expect(tests('cautious')).toEqual(['not']);
      expect(tests('buildable')).toEqual(['not', 'relationships']);
      expect(tests('empty')).toEqual([]);
    } finally {
      removeProject(dir);
    }
  });
});

describe('column: selectors', () => {
  it('hand the address and the walk depths to the column lineage, and refuse @ or a missing lineage', () => {
    const calls: unknown[] = [];
    const columns = (address: string, up: number | undefined, down: number | undefined): Set<string> => {
      calls.push([address, up, down]);
      if (address === 'int.nope') throw new Error("int has no column 'nope'");
      return new Set(['model.p.int', 'model.p.mart_a']);
    };
    const pick = (select: string[]) => selectNodes(p.graph, { select, columns, resourceTypes: ['model'] });
    expect(pick(['column:int.id+']).ids).toEqual(['model.p.int', 'model.p.mart_a']);
    expect(pick(['2+column:int.id']).ids).toEqual(['model.p.int', 'model.p.mart_a']);
    expect(pick(['column:int.id,tag:marts']).ids).toEqual(['model.p.mart_a']);
    expect(calls).toEqual([['int.id', undefined, Infinity], ['int.id', 2, undefined], ['int.id', undefined, undefined]]);
    expect(pick(['column:int.nope+']).diagnostics[0]).toMatchObject({ code: 'selector-invalid', message: "--select 'column:int.nope+': int has no column 'nope'" });
    expect(pick(['@column:int.id']).diagnostics[0]!.message).toContain("'@' does not apply to column:");
    expect(selectNodes(p.graph, { select: ['column:int.id'] }).diagnostics[0]!.message).toContain('column: needs column lineage');
  });
});

describe('group: and access: (dbt selector methods)', () => {
  let gdir: string;
  let gp: PreparedProject;
  beforeAll(async () => {
    gdir = writeProject({
      'models/ledger.sql': "{{ config(group='finance', access='private') }} select 1 as id",
      'models/revenue.sql': "{{ config(group='finance', access='public') }} select * from {{ ref('ledger') }}",
      'models/loose.sql': 'select 1 as id',
      'models/schema.yml': 'version: 2\ngroups:\n  - name: finance\n    owner: {name: Fin}\nmodels:\n  - name: ledger\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
    });
    const outcome = await prepareProject({ projectDir: gdir, profilesDir: gdir });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.diagnostics));
    gp = outcome.prepared;
  });
  afterAll(() => removeProject(gdir));
  const pick = (select: string[]) => selectNodes(gp.graph, { select }).ids.map((id) => gp.graph.manifest.nodes[id]?.name ?? id).sort();

  it("group: selects a group's nodes, a model's tests with it; access: selects models by access (protected by default)", () => {
    expect(pick(['group:finance'])).toEqual(['ledger', 'not_null_ledger_id', 'revenue']);
    expect(pick(['group:fin*'])).toEqual(['ledger', 'not_null_ledger_id', 'revenue']);
    expect(pick(['access:private'])).toEqual(['ledger', 'not_null_ledger_id']);
    expect(pick(['access:public'])).toEqual(['revenue']);
    expect(pick(['access:protected'])).toEqual(['loose']);
    expect(selectNodes(gp.graph, { select: ['access:secret'] }).diagnostics[0]?.message).toMatch(/access:secret is not one of private, protected, public/);
  });
});
