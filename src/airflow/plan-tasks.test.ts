import { afterAll, beforeAll, expect, it } from 'vitest';
import { prepareProject, type PreparedProject } from '../api/index.js';
import { selectNodes } from '../select/index.js';
import { copyDemo } from '../test-support/demo-project.js';
import { removeProject } from '../test-support/fixture-project.js';
import { isTaskNode, nodeSelector } from './plan-tasks.js';
import { resolveAirflowSettings } from './airflow-settings.js';
import { relationUri } from './relation-uri.js';

let dir: string;
let p: PreparedProject;
beforeAll(async () => {
  dir = copyDemo();
  const outcome = await prepareProject({ projectDir: dir, profileOptional: true });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.diagnostics));
  p = outcome.prepared;
});
afterAll(() => removeProject(dir));

it("each task's --select picks its node and nothing else (a model named like the package, a landing table, a seed)", () => {
  const nodes = Object.values(p.graph.manifest.nodes).filter(isTaskNode);
  expect(nodes.map((n) => n.uniqueId)).toContain('model.complaints.complaints');
  for (const node of nodes) {
    const { ids, diagnostics } = selectNodes(p.graph, { select: [nodeSelector(node)], indirectSelection: 'empty' });
    expect([node.uniqueId, ids, diagnostics]).toEqual([node.uniqueId, [node.uniqueId], []]);
  }
});

it.each([
  ['schedule', '30m', { kind: 'every', seconds: 1800 }],
  ['schedule', '@hourly', { kind: 'cron', value: '@hourly' }],
  ['schedule', '0 3 * * 1-5', { kind: 'cron', value: '0 3 * * 1-5' }],
  ['schedule', 'none', { kind: 'none' }],
])('reads --%s %s', (key, value, want) => {
  const { settings, diagnostics } = resolveAirflowSettings({ projectName: 'p', configFile: 'project.yml', flags: { [key]: value }, projectDir: '/srv/p', vars: {} });
  expect(diagnostics).toEqual([]);
  expect(settings.schedule).toEqual(want);
});

it('defaults: daily, no catchup, local execution with a parse task, after_each, layer groups, paths under the worker project', () => {
  const { settings } = resolveAirflowSettings({ projectName: 'p', configFile: 'project.yml', flags: { project_dir: '/srv/p/', retry_delay: '90' }, projectDir: '/here', vars: {} });
  expect(settings).toMatchObject({ dagId: 'strata_p', catchup: false, execution: 'local', parseTask: true, testBehavior: 'after_each', groupBy: 'layer', runsDir: '/srv/p/target/airflow', parseCache: '/srv/p/target', retryDelaySeconds: 90, maxActiveRuns: 1 });
});

it('rejects bad values with a hint', () => {
  const { diagnostics } = resolveAirflowSettings({
    projectName: 'p', configFile: 'project.yml', projectDir: '/p', vars: {},
    flags: { retries: '-1', start_date: '01/02/2026', test_behavior: 'after-everything', catchup: 'maybe' },
    block: { settings: { max_active_runs: 0 }, line: 3, lines: { max_active_runs: 4 }, valid: true },
  });
  expect(diagnostics.map((d) => [d.file, d.line, d.message]).sort((a, b) => String(a[2]).localeCompare(String(b[2])))).toEqual([
    ['--catchup', undefined, "--catchup: 'maybe' is not true or false"],
    ['--retries', undefined, "--retries: '-1' is not a whole number ≥ 0"],
    ['--start-date', undefined, "--start-date: '01/02/2026' is not a date"],
    ['--test-behavior', undefined, "--test-behavior: 'after_everything' is not one of after_each, after_all, none, build"],
    ['project.yml', 4, "airflow.max_active_runs: '0' is not a whole number ≥ 1"],
  ]);
});

it('names relations by URI: the DuckDB file on the worker, the BigQuery project and dataset', () => {
  const rel = { schema: 'gold', identifier: 'fct_complaints' };
  expect(relationUri(rel, { type: 'duckdb', settings: { path: 'target/c.duckdb' } }, '/opt/p')).toBe('duckdb:///opt/p/target/c.duckdb/gold.fct_complaints');
  expect(relationUri(rel, { type: 'duckdb', settings: { path: '/data/c.duckdb' } }, '/opt/p')).toBe('duckdb:///data/c.duckdb/gold.fct_complaints');
  expect(relationUri(rel, { type: 'bigquery', settings: { project: 'acme-prod' } }, '/opt/p')).toBe('bigquery://acme-prod/gold/fct_complaints');
  expect(relationUri({ ...rel, database: 'other' }, { type: 'bigquery', database: 'acme-prod', settings: {} }, '/opt/p')).toBe('bigquery://other/gold/fct_complaints');
});
