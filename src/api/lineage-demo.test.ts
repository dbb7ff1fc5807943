/** Column lineage on the bundled demo, as a user runs it: `strata lineage`, `column:` selectors, target/lineage.json. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyDemo, repoRoot } from '../test-support/demo-project.js';
import { removeProject } from '../test-support/fixture-project.js';
import { build, docsGenerate, list } from './index.js';
import type { LineageArtifact } from '../lineage/index.js';

const bin = join(repoRoot, 'bin', 'strata.js');
let dir = '';
const strata = (args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args, '--project-dir', dir, '--profiles-dir', dir], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const models = async (select: string): Promise<string[]> => {
  const r = await list({ projectDir: dir, profilesDir: dir, select: [select], resourceTypes: ['model', 'snapshot'], output: 'name' });
  expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(0);
  return r.lines.sort();
};

beforeAll(async () => {
  dir = copyDemo();
  cpSync(join(repoRoot, 'snapshots'), join(dir, 'snapshots'), { recursive: true });
  expect((await build({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
}, 120_000);
afterAll(() => removeProject(dir));

describe('column lineage on the demo', () => {
  it('strata lineage prints the upstream tree down to the landing sources, before any catalog exists', () => {
    const r = strata(['lineage', 'fct_complaints.resolution_hours']);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('fct_complaints.resolution_hours');
    expect(lines).toContain('├── complaints.opened_at  [derived]');
    expect(lines).toContain('│   └── brz_complaints_web.submitted_at  [cast]');
    expect(lines).toContain('│       └── source landing.complaints_web.submitted_at  [direct]');
    expect(lines).toContain('└── complaints.resolved_at  [derived]');
    // Without catalog.json the bronze models select * over sources of unknown columns: said, not guessed.
    expect(r.out).toMatch(/note: the lineage of brz_complaints_web is partial: it selects \* over source landing\.complaints_web, whose columns are unknown/);
  });

  it('column: selects what a column change touches, upstream or downstream, with depth', async () => {
    expect(await models('column:brz_customers.email+')).toEqual(['brz_customers', 'customers', 'dim_customers']);
    expect(await models('column:customers.plan+')).toEqual(['customers', 'customers_history', 'dim_customers']);
    expect(await models('+column:mart_agent_performance.avg_resolution_hours')).toEqual(['brz_complaints_call_center', 'brz_complaints_email', 'brz_complaints_web', 'complaints', 'fct_complaints', 'mart_agent_performance']);
    expect(await models('column:complaints.opened_at+1')).toEqual(['complaints', 'fct_complaints']);
    // complaint_categories.category_code is only a join key of fct_complaints: fct_complaints is selected, nothing past it.
    expect(await models('column:complaint_categories.category_code+')).toEqual(['complaint_categories', 'fct_complaints']);
    expect(await models('column:fct_complaints.sla_breached+,tag:gold')).toEqual(['fct_complaints', 'mart_agent_performance', 'mart_complaints_daily']);
  });

  it('an unknown column is a usage error with a hint', async () => {
    const r = await list({ projectDir: dir, profilesDir: dir, select: ['column:dim_customers.emial_hash+'] });
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics[0]).toMatchObject({ code: 'selector-invalid' });
    expect(r.diagnostics[0]!.message).toContain("dim_customers has no column 'emial_hash'");
    expect(r.diagnostics[0]!.message).toContain("did you mean 'email_hash'?");
    const cli = strata(['lineage', 'dim_custmers.plan']);
    expect(cli.code).toBe(2);
    expect(cli.out + cli.err).toContain("'dim_custmers' is not a model, seed, snapshot or source");
    expect(cli.out + cli.err).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('build --select column:…+ builds exactly the models derived from the column', async () => {
    const r = await build({ projectDir: dir, profilesDir: dir, select: ['column:complaint_categories.sla_hours+'], resourceTypes: ['model'] });
    expect(r.exitCode).toBe(0);
    expect(r.results.map((x) => x.uniqueId).sort()).toEqual(['model.complaints.complaint_categories', 'model.complaints.fct_complaints', 'model.complaints.mart_agent_performance', 'model.complaints.mart_complaints_daily']);
  });

  it('docs generate writes target/lineage.json with every model traced through the catalog', async () => {
    const out = await docsGenerate({ projectDir: dir, profilesDir: dir });
    expect(out.exitCode).toBe(0);
    expect(out.lineage).toEqual({ traced: 16, partial: 0, untraced: 0 });
    const lineage = JSON.parse(readFileSync(join(dir, 'target', 'lineage.json'), 'utf8')) as LineageArtifact;
    expect(lineage.metadata).toMatchObject({ lineage_version: 1, adapter_type: 'duckdb' });
    expect(lineage.metadata.generated_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(lineage.nodes['model.complaints.fct_complaints']!.columns.resolution_hours).toEqual({ upstream: [
      { node: 'model.complaints.complaints', column: 'opened_at', kind: 'derived' },
      { node: 'model.complaints.complaints', column: 'resolved_at', kind: 'derived' },
    ] });
    // With the catalog, a bronze `select *` lists every landed column, the landing columns too.
    expect(Object.keys(lineage.nodes['model.complaints.brz_agents']!.columns)).toContain('_strata_loaded_at');
    expect(lineage.nodes['model.complaints.brz_complaint_categories']!.columns.sla_hours).toEqual({ upstream: [{ node: 'seed.complaints.raw_complaint_categories', column: 'sla_hours', kind: 'direct' }] });
    expect(lineage.nodes['model.complaints.mart_agent_performance']!.filters).toEqual([
      { node: 'model.complaints.dim_agents', column: 'agent_id', kind: 'join_key' },
      { node: 'model.complaints.fct_complaints', column: 'agent_id', kind: 'join_key' },
    ]);
  }, 60_000);

  it('strata lineage --downstream --output json lists every derived column and the models filtering on it', () => {
    const r = strata(['lineage', 'landing.customers.email', '--downstream', '--output', 'json']);
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as { column: unknown; downstream: { node: string; column: string; kind: string; children: unknown[] }[] };
    expect(out.column).toEqual({ node: 'source.complaints.landing.customers', column: 'email' });
    expect(JSON.stringify(out.downstream)).toBe(JSON.stringify([{ node: 'model.complaints.brz_customers', column: 'email', kind: 'direct', children: [
      { node: 'model.complaints.customers', column: 'email_hash', kind: 'derived', children: [
        { node: 'model.complaints.dim_customers', column: 'email_hash', kind: 'direct', children: [] }] }] }]));
    const filters = strata(['lineage', 'complaints.complaint_id', '--downstream']);
    expect(filters.out).toContain('fct_complaints.complaint_id  [direct]');
    expect(filters.out).toContain('mart_agent_performance.complaints_handled  [aggregated]');
  });
});
