import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe as group, expect, it } from 'vitest';
import { copyDemo, repoRoot } from '../test-support/demo-project.js';
import { removeProject, writeProject, DUCKDB_PROFILE } from '../test-support/fixture-project.js';
import { actualGraph, describe, expectedGraph, generate, nodeOfTask, strata, type DescribedDag } from '../test-support/airflow-standin.js';
import { airflowDag } from '../api/index.js';
// @ts-expect-error -- a plain .mjs script without types
import { generateProject } from '../../bench/generate-project.mjs';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

/** The ids `strata ls` selects (the product's own selection), and the manifest `strata parse` writes. */
async function selectionOf(dir: string, args: string[]): Promise<{ selected: Set<string>; manifest: string }> {
  const lines = (await strata(['ls', '--output', 'json', '--target-path', 'target/check', ...args], dir)).trim().split('\n');
  await strata(['parse', '--target-path', 'target/check'], dir);
  return { selected: new Set(lines.map((l) => (JSON.parse(l) as { unique_id: string }).unique_id)), manifest: join(dir, 'target', 'check', 'manifest.json') };
}

const byNode = (dag: DescribedDag, node: string) => dag.tasks.find((t) => nodeOfTask(t) === node)!;

group('strata airflow dag on the demo', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = copyDemo();
    dirs.push(dir);
    cpSync(join(repoRoot, 'snapshots'), join(dir, 'snapshots'), { recursive: true });
    // Through the CLI, as a user runs it.
    await strata(['airflow', 'dag', '--out', 'dags/strata_complaints.py', '--retries', '2', '--retry-delay', '5m', '--schedule', '@hourly', '--catchup', '--start-date', '2026-01-01', '--tags', 'telecom', 'complaints', '-q'], dir);
    file = join(dir, 'dags', 'strata_complaints.py');
  });

  it('compiles with python3 -m py_compile', () => {
    execFileSync('python3', ['-m', 'py_compile', file]);
  });

  it.each(['2', '3'] as const)('imports under the Airflow %s.x layout with a graph equal to the manifest', async (layout) => {
    const [dag] = describe(file, layout);
    const { selected, manifest } = await selectionOf(dir, []);
    expect(actualGraph(dag!)).toEqual(expectedGraph(manifest, selected));
    expect(dag!.groups).toEqual(['bronze', 'gold', 'silver']);
    expect(byNode(dag!, 'model.complaints.fct_complaints').task_id).toBe('gold.fct_complaints');
    expect(byNode(dag!, 'landing.complaints.landing.agents').group).toBe('bronze');
    expect(dag!.args).toMatchObject({ schedule: '@hourly', catchup: true, max_active_runs: 1, max_active_tasks: 1, tags: ['telecom', 'complaints'], start_date: '2026-01-01T00:00:00+00:00', default_args: { retries: 2, retry_delay: { timedelta_seconds: 300 } } });
  });

  it('declares each relation as an outlet and starts with the parse task', () => {
    const [dag] = describe(file);
    expect(byNode(dag!, 'model.complaints.fct_complaints').outlets).toEqual([`duckdb://${dir}/complaints.duckdb/gold.fct_complaints`]);
    expect(byNode(dag!, 'landing.complaints.landing.customers').outlets).toEqual([`duckdb://${dir}/complaints.duckdb/bronze.raw_customers`]);
    const roots = dag!.tasks.filter((t) => !t.upstream.length).map((t) => t.task_id);
    expect(roots).toEqual(['strata_parse']);
  });

  it('runs a test whose parents lie on no one path as its own task after both (after_each)', () => {
    const [dag] = describe(file);
    const test = dag!.tasks.find((t) => nodeOfTask(t)?.startsWith('test.complaints.relationships_fct_complaints_agent_id'))!;
    expect(test.upstream).toEqual(['gold.dim_agents', 'gold.fct_complaints']);
    // Single-parent tests and tests whose other parents are upstream run inside their model's task: no task of their own.
    expect(dag!.tasks.filter((t) => nodeOfTask(t)?.startsWith('test.'))).toHaveLength(2);
    expect(String(byNode(dag!, 'model.complaints.complaints').args.bash_command)).toContain('--indirect-selection buildable');
  });
});

group('strata airflow dag on generated projects', () => {
  it('a 150-model generated project, with a selection, gives the manifest graph of the selection', async () => {
    const root = writeProject({});
    dirs.push(root);
    const dir = join(root, 'bench');
    generateProject(dir, { models: 150, seed: 3 });
    const select = ['+gld_3', '+gld_9', 'slv_1+'];
    const exclude = ['brz_1'];
    const file = await generate(dir, { select, exclude, airflow: { group_by: 'folder' } });
    const [dag] = describe(file, '2');
    const { selected, manifest } = await selectionOf(dir, ['--select', ...select, '--exclude', ...exclude]);
    const expected = expectedGraph(manifest, selected);
    expect(expected.size).toBeGreaterThan(5);
    expect(actualGraph(dag!)).toEqual(expected);
    expect(dag!.groups.some((g) => g.startsWith('silver.area_'))).toBe(true);
  });

  it('folds ephemeral models into their children and gives tests of unrelated parents their own task', async () => {
    const dir = writeProject({
      'models/a.sql': 'select 1 as id',
      'models/e.sql': "{{ config(materialized='ephemeral') }}\nselect id from {{ ref('a') }}",
      'models/b.sql': "select id from {{ ref('e') }}",
      'models/c.sql': 'select 1 as id',
      'models/schema.yml': 'models:\n  - name: b\n    columns:\n      - name: id\n        data_tests: [not_null, {relationships: {to: "ref(\'c\')", field: id}}]\n  - name: e\n    columns:\n      - name: id\n        data_tests: [unique]\n',
    });
    dirs.push(dir);
    const file = await generate(dir);
    const [dag] = describe(file);
    const { selected, manifest } = await selectionOf(dir, []);
    expect(actualGraph(dag!)).toEqual(expectedGraph(manifest, selected));
    expect(byNode(dag!, 'model.p.b').upstream).toEqual(['a']);
    const tests = dag!.tasks.filter((t) => nodeOfTask(t)?.startsWith('test.')).map((t) => [t.task_id, t.upstream]);
    expect(tests).toEqual([['test_unique_e_id', ['a']], ['test_relationships_b_id__id__ref_c_', ['b', 'c']]]);
  });
});

group('options', () => {
  let dir: string;
  beforeAll(() => {
    dir = writeProject({
      'project.yml': 'name: p\nprofile: p\nairflow:\n  schedule: "0 3 * * *"\n  retries: 2\n  dag_id: from_block\n',
      'profiles.yml': DUCKDB_PROFILE(),
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "select id from {{ ref('a') }}",
    });
    dirs.push(dir);
  });

  it('takes the airflow: block of the project file, flags winning', async () => {
    const [dag] = describe(await generate(dir, { airflow: { retries: '1' } }));
    expect(dag!.dag_id).toBe('from_block');
    expect(dag!.args).toMatchObject({ schedule: '0 3 * * *', default_args: { retries: 1 } });
  });

  it.each([
    ['after_all', ['a', 'b', 'strata_parse', 'strata_test']],
    ['none', ['a', 'b', 'strata_parse']],
    ['build', ['strata_build', 'strata_parse']],
  ])('--test-behavior %s', async (behavior, ids) => {
    const [dag] = describe(await generate(dir, { airflow: { test_behavior: behavior } }));
    expect(dag!.tasks.map((t) => t.task_id).sort()).toEqual(ids);
    if (behavior === 'after_all') expect(dag!.tasks.find((t) => t.task_id === 'strata_test')!.upstream).toEqual(['b']);
    if (behavior === 'build') expect(dag!.tasks.find((t) => t.task_id === 'strata_build')!.outlets).toHaveLength(2);
  });

  it.each([['docker', 'DockerOperator'], ['kubernetes', 'KubernetesPodOperator']])('--execution %s', async (execution, operator) => {
    for (const layout of ['2', '3'] as const) {
      const [dag] = describe(await generate(dir, { airflow: { execution, image: 'registry.local/strata-p:1', parse_task: false } }), layout);
      const b = dag!.tasks.find((t) => t.task_id === 'b')!;
      expect(b.operator).toBe(operator);
      expect(b.args.image).toBe('registry.local/strata-p:1');
      expect(JSON.stringify(b.args)).toContain('strata build --select');
      expect(b.upstream).toEqual(['a']);
    }
  });

  it('writes a task-group module that adds the tasks to an existing DAG', async () => {
    await generate(dir, { kind: 'task-group' }, 'strata_group.py');
    const host = join(dir, 'dags', 'host.py');
    writeFileSync(host, [
      'import sys, os', 'sys.path.insert(0, os.path.dirname(__file__))', 'from datetime import datetime, timezone',
      'from airflow import DAG', 'from airflow._core import BashOperator', 'from strata_group import strata_task_group',
      'with DAG("reporting", schedule="@daily", start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)):',
      '    ingest = BashOperator(task_id="ingest", bash_command="true")', '    report = BashOperator(task_id="report", bash_command="true")',
      '    ingest >> strata_task_group() >> report', '',
    ].join('\n'));
    const [dag] = describe(host);
    const ids = Object.fromEntries(dag!.tasks.map((t) => [t.task_id, t.upstream]));
    expect(ids['strata_p.strata_parse']).toEqual(['ingest']);
    expect(ids['strata_p.b']).toEqual(['strata_p.a']);
    expect(ids.report).toEqual(['strata_p.b']);
  });

  it('a parse cache copied into another target path (as each task does) is used there', async () => {
    await strata(['parse', '--target-path', 'target/warm'], dir);
    mkdirSync(join(dir, 'target', 'task-1'), { recursive: true });
    for (const f of ['graph_snapshot.strata.json', 'graph_snapshot_body.strata.json', 'partial_parse.strata.json']) copyFileSync(join(dir, 'target', 'warm', f), join(dir, 'target', 'task-1', f));
    expect(await strata(['parse', '--target-path', 'target/task-1', '--vars', '{ds: "2026-03-01"}'], dir)).toContain('nothing changed since the last parse');
  });

  it('reports bad options with the flag or the line of the project file, and writes nothing', async () => {
    const bad = writeProject({ 'project.yml': 'name: p\nprofile: p\nairflow:\n  schedul: "@daily"\n', 'models/a.sql': 'select 1 as id' });
    dirs.push(bad);
    const out = join(bad, 'dags', 'x.py');
    const r = await airflowDag({ projectDir: bad, kind: 'dag', out, airflow: { schedule: 'every day', execution: 'docker' } });
    expect(r.exitCode).toBe(2);
    expect(r.written).toBeUndefined();
    const found = r.diagnostics.filter((d) => d.code === 'airflow-invalid').map((d) => [d.file, d.line, d.hint?.slice(0, 20)]);
    expect(found).toEqual([
      ['project.yml', 4, "did you mean 'schedu"],
      ['--schedule', undefined, 'use a cron expressio'],
      ['--image', undefined, 'add --image registry'],
    ]);
  });
});
