/** Column lineage on the bundled demo, as a user runs it: `strata lineage`, `column:` selectors, target/lineage.json. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyDemo, repoRoot } from '../test-support/demo-project.js';
import { removeProject } from '../test-support/fixture-project.js';
import { runStrata } from '../test-support/strata-cli.js';
import { build, docsGenerate, list } from './index.js';
import type { LineageArtifact } from '../lineage/index.js';

let dir = '';
const strata = async (args: string[]) => {
  const r = await runStrata([...args, '--project-dir', dir, '--profiles-dir', dir]);
  return { code: r.code, out: r.stdout, err: r.stderr };
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
  it('strata lineage prints the upstream tree down to the landing sources, before any catalog exists', async () => {
    const r = await strata(['lineage', 'fct_complaints.resolution_hours']);
    expect(r.code, r.err).toBe(0);
    // resolution_hours = hours from complaints.opened_at to the first 'resolved' status change of the complaint's
    // events (min(case when status = 'resolved' then event_at end)), each channel traced down to its landing source.
    const tree = r.out.split('\n').filter((l) => !l.startsWith('note:') && l !== '');
    expect(tree).toEqual([
      'fct_complaints.resolution_hours',
      '├── complaint_events.event_at  [aggregated]',
      '│   ├── brz_call_logs.logged_at  [derived]',
      '│   │   └── source landing.call_logs.logged_at  [direct]',
      '│   ├── brz_social_complaints.updated_at  [cast]',
      '│   │   └── source landing.social_complaints.updated_at  [direct]',
      '│   └── brz_web_complaints.updated_at  [cast]',
      '│       └── source landing.web_complaints.updated_at  [direct]',
      '├── complaint_events.status  [aggregated]',
      '│   ├── brz_call_logs.outcome  [derived]',
      '│   │   └── source landing.call_logs.outcome  [direct]',
      '│   ├── brz_social_complaints.status  [derived]',
      '│   │   └── source landing.social_complaints.triage  [derived]',
      '│   └── brz_web_complaints.status  [derived]',
      '│       └── source landing.web_complaints.status  [direct]',
      '└── complaints.opened_at  [derived]',
      '    └── complaint_events.opened_at  [direct]',
      '        ├── brz_call_logs.call_start  [derived]',
      '        │   └── source landing.call_logs.call_start  [direct]',
      '        ├── brz_social_complaints.posted_at  [cast]',
      '        │   └── source landing.social_complaints.post  [derived]',
      '        └── brz_web_complaints.submitted_at  [cast]',
      '            └── source landing.web_complaints.submitted_at  [direct]',
    ]);
    // Without catalog.json the bronze models that select * over a source of unknown columns are partial: said, not
    // guessed. brz_social_complaints names its columns (struct fields of the nested JSON), so it is not.
    expect(r.out).toMatch(/note: the lineage of brz_web_complaints is partial: it selects \* over source landing\.web_complaints, whose columns are unknown/);
    expect(r.out).toMatch(/note: the lineage of brz_call_logs is partial: it selects \* over source landing\.call_logs, whose columns are unknown/);
    expect(r.out).not.toMatch(/lineage of brz_social_complaints is partial/);
  });

  it('column: selects what a column change touches, upstream or downstream, with depth', async () => {
    expect(await models('column:brz_customers.email+')).toEqual(['brz_customers', 'customers', 'dim_customers']);
    // churn_risk_features reads the current plan of the dim_customers snapshot (plan, is_premium).
    expect(await models('column:customers.plan+')).toEqual(['churn_risk_features', 'customers', 'dim_customers']);
    // Upstream is what the value is computed from: not dim_agents, which the mart only joins and filters on.
    // The mart rolls up mart_ticket_summary's additive sums, which come from fct_complaints.
    expect(await models('+column:mart_agent_performance.avg_resolution_hours')).toEqual(['brz_call_logs', 'brz_social_complaints', 'brz_web_complaints', 'complaint_events', 'complaints', 'fct_complaints', 'mart_agent_performance', 'mart_ticket_summary']);
    expect(await models('column:complaints.opened_at+1')).toEqual(['complaints', 'fct_complaints']);
    expect(await models('column:complaints.opened_at+')).toEqual(['churn_risk_features', 'complaints', 'fct_complaints', 'mart_agent_performance', 'mart_complaints_daily', 'mart_ticket_summary']);
    // complaint_categories.category_code is only a join key of fct_complaints: fct_complaints is selected, nothing past it.
    expect(await models('column:complaint_categories.category_code+')).toEqual(['complaint_categories', 'fct_complaints']);
    expect(await models('column:fct_complaints.sla_breached+,tag:gold')).toEqual(['churn_risk_features', 'fct_complaints', 'mart_agent_performance', 'mart_complaints_daily', 'mart_ticket_summary']);
    // mart_ticket_summary sums it (total_resolution_hours), and mart_agent_performance rolls that up.
    expect(await models('column:fct_complaints.resolution_hours+')).toEqual(['churn_risk_features', 'fct_complaints', 'mart_agent_performance', 'mart_complaints_daily', 'mart_ticket_summary']);
    expect(await models('column:fct_complaints.hours_in_backlog+')).toEqual(['fct_complaints', 'mart_ticket_summary']);
  });

  it('an unknown column is a usage error with a hint', async () => {
    const r = await list({ projectDir: dir, profilesDir: dir, select: ['column:dim_customers.emial_hash+'] });
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics[0]).toMatchObject({ code: 'selector-invalid' });
    expect(r.diagnostics[0]!.message).toContain("dim_customers has no column 'emial_hash'");
    expect(r.diagnostics[0]!.message).toContain("did you mean 'email_hash'?");
    const cli = await strata(['lineage', 'dim_custmers.plan']);
    expect(cli.code).toBe(2);
    expect(cli.out + cli.err).toContain("'dim_custmers' is not a model, seed, snapshot or source");
    expect(cli.out + cli.err).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('build --select column:…+ builds exactly the models derived from the column', async () => {
    const r = await build({ projectDir: dir, profilesDir: dir, select: ['column:complaint_categories.sla_hours+'], resourceTypes: ['model'] });
    expect(r.exitCode).toBe(0);
    // sla_hours → fct_complaints.sla_hours and sla_breached → every gold mart counting breaches.
    expect(r.results.map((x) => x.uniqueId).sort()).toEqual(['model.complaints.churn_risk_features', 'model.complaints.complaint_categories', 'model.complaints.fct_complaints', 'model.complaints.mart_agent_performance', 'model.complaints.mart_complaints_daily', 'model.complaints.mart_ticket_summary']);
  });

  it('docs generate writes target/lineage.json with every model traced through the catalog', async () => {
    const out = await docsGenerate({ projectDir: dir, profilesDir: dir });
    expect(out.exitCode).toBe(0);
    // 6 bronze, 5 silver, 5 gold models and the 2 snapshots.
    expect(out.lineage).toEqual({ traced: 18, partial: 0, untraced: 0 });
    const lineage = JSON.parse(readFileSync(join(dir, 'target', 'lineage.json'), 'utf8')) as LineageArtifact;
    expect(lineage.metadata).toMatchObject({ lineage_version: 1, adapter_type: 'duckdb' });
    expect(lineage.metadata.generated_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(lineage.nodes['model.complaints.fct_complaints']!.columns.resolution_hours).toEqual({ upstream: [
      { node: 'model.complaints.complaint_events', column: 'event_at', kind: 'aggregated' },
      { node: 'model.complaints.complaint_events', column: 'status', kind: 'aggregated' },
      { node: 'model.complaints.complaints', column: 'opened_at', kind: 'derived' },
    ] });
    // A struct field of the nested NDJSON is derived from its top-level column.
    expect(lineage.nodes['model.complaints.brz_social_complaints']!.columns.customer_id).toEqual({ upstream: [{ node: 'source.complaints.landing.social_complaints', column: 'author', kind: 'derived' }] });
    // The dim_customers snapshot passes columns through and derives its validity columns from updated_at.
    expect(lineage.nodes['snapshot.complaints.dim_customers']!.columns.dbt_valid_to).toEqual({ upstream: [{ node: 'model.complaints.customers', column: 'updated_at', kind: 'derived' }] });
    // With the catalog, a bronze `select *` lists every landed column, the landing columns too.
    expect(Object.keys(lineage.nodes['model.complaints.brz_agents']!.columns)).toContain('_strata_loaded_at');
    expect(lineage.nodes['model.complaints.brz_complaint_categories']!.columns.sla_hours).toEqual({ upstream: [{ node: 'seed.complaints.raw_complaint_categories', column: 'sla_hours', kind: 'direct' }] });
    expect(lineage.nodes['model.complaints.mart_agent_performance']!.filters).toEqual([
      { node: 'model.complaints.mart_ticket_summary', column: 'agent_id', kind: 'join_key' },
      { node: 'snapshot.complaints.dim_agents', column: 'agent_id', kind: 'join_key' },
      { node: 'snapshot.complaints.dim_agents', column: 'dbt_valid_to', kind: 'filter' },
    ]);
  }, 60_000);

  it('strata lineage --downstream --output json lists every derived column and the models filtering on it', async () => {
    const r = await strata(['lineage', 'landing.customers.email', '--downstream', '--output', 'json']);
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as { column: unknown; downstream: { node: string; column: string; kind: string; children: unknown[] }[] };
    expect(out.column).toEqual({ node: 'source.complaints.landing.customers', column: 'email' });
    expect(JSON.stringify(out.downstream)).toBe(JSON.stringify([{ node: 'model.complaints.brz_customers', column: 'email', kind: 'direct', children: [
      { node: 'model.complaints.customers', column: 'email_hash', kind: 'derived', children: [
        { node: 'snapshot.complaints.dim_customers', column: 'email_hash', kind: 'direct', children: [] }] },
      { node: 'model.complaints.customers', column: 'email_is_valid', kind: 'derived', children: [
        { node: 'snapshot.complaints.dim_customers', column: 'email_is_valid', kind: 'direct', children: [] }] }] }]));
    const filters = await strata(['lineage', 'complaints.complaint_id', '--downstream']);
    expect(filters.out).toContain('fct_complaints.complaint_id  [direct]');
    // churn_risk_features counts rows (count(*)), not complaint_id values: no column of it comes from complaint_id.
    expect(filters.out).not.toContain('churn_risk_features');
    const channel = await strata(['lineage', 'complaints.channel', '--downstream']);
    expect(channel.out).toContain('churn_risk_features.channels_used  [aggregated]');
    // fct_complaints joins complaints to their status changes on complaint_id.
    expect(filters.out).toContain('complaints.complaint_id is a join key of fct_complaints');
  });
});
