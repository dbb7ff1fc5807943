/**
 * dbt's groups and model access, measured from outside: `strata build` on small projects. A ref the access
 * rules forbid stops the build at parse time (exit 2, located at the ref, no warehouse file); groups,
 * `group_map` and each node's group and access are written to manifest.json and seen by `graph`.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_YML } from '../test-support/fixture-project.js';
import { projectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { build, parse, prepareProject } from '../api/index.js';
import type { Diagnostic } from '../diagnostics/index.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';

const project = projectsRemovedAfterAll();

const GROUPS = `groups:
  - name: finance
    owner:
      name: Finance team
      email: finance@example.com
      slack: "#finance"
    description: Money in, money out
    config:
      meta: {tier: 1}
  - name: marketing
    owner: {email: [mkt@example.com, ads@example.com]}
`;

/** A private finance model, and a marketing model that refs it (line 3 of its file). */
const BASE = {
  'models/groups.yml': GROUPS,
  'models/finance/ledger.sql': "{{ config(group='finance', access='private') }}\nselect 1 as id",
  'models/campaigns.sql': "-- campaigns\n\nselect * from {{ ref('ledger') }}",
};

const errorsOf = (ds: Diagnostic[]): Diagnostic[] => ds.filter((d) => d.severity === 'error');
const located = (ds: Diagnostic[]): string[] => errorsOf(ds).map((d) => `${d.code} ${d.file}:${d.line}`);

async function refused(files: Record<string, string>): Promise<{ dir: string; errors: Diagnostic[] }> {
  const dir = project(files);
  const r = await build({ projectDir: dir, profilesDir: dir, env: {} });
  expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(2);
  expect(r.results).toEqual([]);
  // Nothing written to the warehouse: its file is never created.
  expect(existsSync(join(dir, 'target', 'test.duckdb'))).toBe(false);
  const errors = errorsOf(r.diagnostics);
  expect(errors.every((d) => d.hint && d.file && d.line), JSON.stringify(errors)).toBe(true);
  return { dir, errors };
}

async function builds(files: Record<string, string>): Promise<string> {
  const dir = project(files);
  const r = await build({ projectDir: dir, profilesDir: dir, env: {} });
  expect(errorsOf(r.diagnostics), JSON.stringify(r.diagnostics)).toEqual([]);
  expect(r.exitCode).toBe(0);
  return dir;
}

describe('a private model', () => {
  it("refused to a model of another group: dbt's message, at the ref, with a fix", async () => {
    const yml = 'models:\n  - name: campaigns\n    config:\n      group: marketing\n';
    const { errors } = await refused({ ...BASE, 'models/campaigns.yml': yml });
    expect(located(errors)).toEqual(['ref-access-denied models/campaigns.sql:3']);
    expect(errors[0]!.message).toBe("Node model.p.campaigns attempted to reference node model.p.ledger, which is not allowed because the referenced node is private to the 'finance' group.");
    expect(errors[0]!.hint).toBe("make 'ledger' protected or public (access: protected in its config), or move model 'campaigns' from group 'marketing' to 'finance' (group: finance)");
  });

  it('refused to a node in no group; allowed to its own group', async () => {
    const { errors } = await refused(BASE);
    expect(errors[0]!.hint).toContain("add model 'campaigns' to group 'finance'");
    await builds({ ...BASE, 'models/campaigns.yml': 'models:\n  - name: campaigns\n    group: finance\n' });
  });

  it.each([
    ['its property entry (top level)', { 'models/finance/ledger.sql': 'select 1 as id', 'models/finance/ledger.yml': 'models:\n  - name: ledger\n    group: finance\n    access: private\n' }],
    ['its property entry (config:)', { 'models/finance/ledger.sql': 'select 1 as id', 'models/finance/ledger.yml': 'models:\n  - name: ledger\n    config:\n      group: finance\n      access: private\n' }],
    ['the project file (+access)', { 'models/finance/ledger.sql': 'select 1 as id', 'project.yml': PROJECT_YML('p', 'models:\n  p:\n    finance:\n      +group: finance\n      +access: private\n') }],
  ])('is private when %s says so', async (_where, files) => {
    const { errors } = await refused({ ...BASE, ...files });
    expect(located(errors)).toEqual(['ref-access-denied models/campaigns.sql:3']);
  });

  it('a later config wins: config() making it public lets anyone ref it', async () => {
    await builds({ ...BASE, 'models/finance/ledger.sql': "{{ config(access='public') }}\nselect 1 as id", 'project.yml': PROJECT_YML('p', 'models:\n  p:\n    finance:\n      +group: finance\n      +access: private\n') });
  });

  it('in no group can be referenced by nothing, and the hint says why', async () => {
    const { errors } = await refused({ ...BASE, 'models/finance/ledger.sql': "{{ config(access='private') }}\nselect 1 as id" });
    expect(errors[0]!.message).toContain("is private to the '' group.");
    expect(errors[0]!.hint).toMatch(/^'ledger' is private but in no group, so nothing can reference it: add it to a group/);
  });

  it("is tested by its own generic tests (they take its group); a test of another group's model cannot ref it", async () => {
    const own = 'models:\n  - name: ledger\n    columns:\n      - name: id\n        data_tests: [not_null, unique]\n';
    await builds({ ...BASE, 'models/campaigns.sql': 'select 1 as id', 'models/finance/ledger.yml': own });
    const rel = 'models:\n  - name: campaigns\n    config: {group: marketing}\n    columns:\n      - name: id\n        data_tests:\n          - relationships:\n              to: ref(\'ledger\')\n              field: id\n';
    const { errors } = await refused({ ...BASE, 'models/campaigns.sql': 'select 1 as id', 'models/campaigns.yml': rel });
    expect(located(errors)).toEqual(['ref-access-denied models/campaigns.yml:7']);
    expect(errors[0]!.message).toMatch(/^Node test\.p\.relationships_campaigns_id__id__ref_ledger_\S* attempted to reference node model\.p\.ledger/);
    expect(errors[0]!.hint).toContain("a test takes the group of the node it tests ('campaigns', in group 'marketing')");
  });

  it('is refused to a singular test and an exposure outside its group', async () => {
    const exposure = "exposures:\n  - name: board\n    type: dashboard\n    owner: {email: a@example.com}\n    depends_on:\n      - ref('ledger')\n";
    const { errors } = await refused({ ...BASE, 'models/campaigns.sql': 'select 1 as id', 'tests/no_negative.sql': "-- ledger\nselect * from {{ ref('ledger') }} where id < 0", 'models/exposures.yml': exposure });
    expect(located(errors).sort()).toEqual(['ref-access-denied models/exposures.yml:6', 'ref-access-denied tests/no_negative.sql:2']);
    expect(errors.find((d) => d.file === 'models/exposures.yml')!.hint).toMatch(/^an exposure belongs to no group/);
    // A singular test in the group may.
    await builds({ ...BASE, 'models/campaigns.sql': 'select 1 as id', 'tests/no_negative.sql': "{{ config(group='finance') }}\nselect * from {{ ref('ledger') }} where id < 0" });
  });
});

describe('a private model, later', () => {
  it('an edit that adds a ref to it is checked, though the stored graph would take a SQL-only edit', async () => {
    const files = { ...BASE, 'models/campaigns.sql': 'select 1 as id' };
    const dir = project(files);
    const old = new Date(Date.now() - 3600_000);
    for (const f of [...Object.keys(files), 'project.yml', 'profiles.yml']) utimesSync(join(dir, f), old, old);
    for (let i = 0; i < 2; i++) expect((await parse({ projectDir: dir, profilesDir: dir, env: {} })).exitCode).toBe(0);
    // A SQL-only edit is taken by the stored graph (the setup reaches it)…
    writeFileSync(join(dir, 'models/campaigns.sql'), 'select 2 as id');
    expect((await parse({ projectDir: dir, profilesDir: dir, env: {} })).parsedFrom).toBe('patched');
    // …an edit that adds a ref is not, so the ref is checked.
    writeFileSync(join(dir, 'models/campaigns.sql'), "select * from {{ ref('ledger') }}");
    const r = await build({ projectDir: dir, profilesDir: dir, env: {} });
    expect(r.exitCode).toBe(2);
    expect(located(r.diagnostics)).toEqual(['ref-access-denied models/campaigns.sql:1']);
  });

  it("of a versioned model: a version's own access: applies to that version", async () => {
    const yml = 'models:\n  - name: ledger\n    config: {group: finance}\n    latest_version: 1\n    versions:\n      - v: 1\n      - v: 2\n        access: private\n';
    const files = { ...BASE, 'models/finance/ledger_v1.sql': 'select 1 as id', 'models/finance/ledger_v2.sql': 'select 2 as id', 'models/finance/ledger.yml': yml };
    delete (files as Record<string, string>)['models/finance/ledger.sql'];
    await builds(files);
    const { errors } = await refused({ ...files, 'models/campaigns.sql': "-- v2\nselect * from {{ ref('ledger', v=2) }}" });
    expect(errors[0]!.message).toContain('reference node model.p.ledger.v2, which is not allowed');
  });
});

describe('access values', () => {
  it.each([
    ['public on an ephemeral model', { 'models/m.sql': "{{ config(materialized='ephemeral', access='public') }}\nselect 1 as id" }, 'access-invalid models/m.sql:1'],
    ['access both at the top level and under config:', { 'models/m.sql': 'select 1 as id', 'models/m.yml': 'models:\n  - name: m\n    access: public\n    config:\n      access: private\n' }, 'schema-yaml-invalid models/m.yml:3'],
    ['an unknown access at the top level', { 'models/m.sql': 'select 1 as id', 'models/m.yml': 'models:\n  - name: m\n    access: secret\n' }, 'schema-yaml-invalid models/m.yml:3'],
    ['a group with no owner name or email', { 'models/g.yml': 'groups:\n  - name: finance\n    owner: {slack: "#fin"}\n' }, 'schema-yaml-invalid models/g.yml:3'],
    ['a group defined twice', { 'models/g.yml': 'groups:\n  - name: finance\n    owner: {name: F}\n  - name: finance\n    owner: {name: G}\n' }, 'duplicate-node models/g.yml:4'],
  ])('%s is an error at its line', async (_what, files, expected) => {
    const { errors } = await refused(files);
    expect(located(errors)).toEqual([expected]);
  });
});

describe("a package's models", () => {
  const pkg = (projectYml: string, access?: string, group?: string): Record<string, string> => ({
    'dbt_packages/pkg/dbt_project.yml': projectYml,
    'dbt_packages/pkg/models/pkg_orders.sql': 'select 7 as id',
    'dbt_packages/pkg/models/groups.yml': `groups:\n  - name: shared\n    owner: {name: Package team}\nmodels:\n  - name: pkg_orders\n    config:\n${access ? `      access: ${access}\n` : ''}${group ? `      group: ${group}\n` : ''}`,
    'models/uses_pkg.sql': "-- from the package\nselect * from {{ ref('pkg', 'pkg_orders') }}",
  });

  it('protected (the default) are referenced from the root, as dbt allows without restrict-access', async () => {
    const dir = await builds(pkg('name: pkg\n'));
    const manifest = JSON.parse(readFileSync(join(dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { access: string }> };
    expect(manifest.nodes['model.pkg.pkg_orders']!.access).toBe('protected');
  });

  it('with restrict-access: true, protected and private ones are refused; public ones are not', async () => {
    const { errors } = await refused(pkg('name: pkg\nrestrict-access: true\n'));
    expect(located(errors)).toEqual(['ref-access-denied models/uses_pkg.sql:2']);
    expect(errors[0]!.message).toBe("Node model.p.uses_pkg attempted to reference node model.pkg.pkg_orders, which is not allowed because the referenced node is protected to the 'pkg' package.");
    expect(errors[0]!.hint).toContain('restrict-access: true');
    const rootInGroup = { 'models/uses_pkg.yml': 'groups:\n  - name: shared\n    owner: {name: Us}\nmodels:\n  - name: uses_pkg\n    group: shared\n' };
    const priv = await refused({ ...pkg('name: pkg\nrestrict-access: true\n', 'private', 'shared'), ...rootInGroup });
    expect(priv.errors[0]!.message).toContain("private to the 'shared' group");
    await builds(pkg('name: pkg\nrestrict-access: true\n', 'public'));
  });

  it("a root model may name a group only the package defines (groups are global, as in dbt)", async () => {
    await builds({ ...pkg('name: pkg\n', 'private', 'shared'), 'models/uses_pkg.yml': 'models:\n  - name: uses_pkg\n    group: shared\n' });
  });

  it('private ones are referenced from the same group without restrict-access, refused from another', async () => {
    const rootIn = (group: string): Record<string, string> => ({ 'models/uses_pkg.yml': `groups:\n  - name: ${group}\n    owner: {name: Us}\nmodels:\n  - name: uses_pkg\n    group: ${group}\n` });
    await builds({ ...pkg('name: pkg\n', 'private', 'shared'), ...rootIn('shared') });
    const { errors } = await refused({ ...pkg('name: pkg\n', 'private', 'shared'), ...rootIn('analytics') });
    expect(located(errors)).toEqual(['ref-access-denied models/uses_pkg.sql:2']);
  });
});

describe('groups in manifest.json and graph', () => {
  const files = {
    ...BASE,
    'models/campaigns.sql': 'select 1 as id',
    'models/finance/ledger.yml': 'models:\n  - name: ledger\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
    'models/finance/summary.sql': "{{ config(group='finance', access='public', materialized='table') }}\nselect count(*) as n, '{{ graph.groups.values() | map(attribute='name') | sort | join(',') }}' as groups from {{ ref('ledger') }}",
  };

  it("writes each group, group_map, and each node's group and access as dbt does", async () => {
    const dir = await builds(files);
    const m = JSON.parse(readFileSync(join(dir, 'target', 'manifest.json'), 'utf8')) as Record<string, Record<string, Record<string, unknown>>>;
    expect(m.groups).toEqual({
      'group.p.finance': {
        name: 'finance', resource_type: 'group', package_name: 'p', path: 'groups.yml', original_file_path: 'models/groups.yml', unique_id: 'group.p.finance',
        owner: { name: 'Finance team', email: 'finance@example.com', slack: '#finance' }, description: 'Money in, money out', config: { meta: { tier: 1 } },
      },
      'group.p.marketing': {
        name: 'marketing', resource_type: 'group', package_name: 'p', path: 'groups.yml', original_file_path: 'models/groups.yml', unique_id: 'group.p.marketing',
        owner: { email: ['mkt@example.com', 'ads@example.com'], name: null }, description: null, config: { meta: {} },
      },
    });
    const testId = Object.keys(m.nodes!).find((id) => id.startsWith('test.p.not_null_ledger_id'))!;
    expect(m.group_map).toEqual({ finance: ['model.p.ledger', 'model.p.summary', testId].sort(), marketing: [] });
    expect(m.nodes!['model.p.ledger']).toMatchObject({ group: 'finance', access: 'private' });
    expect(m.nodes!['model.p.summary']).toMatchObject({ group: 'finance', access: 'public' });
    expect(m.nodes!['model.p.campaigns']).toMatchObject({ group: null, access: 'protected' });
    expect(m.nodes![testId]).toMatchObject({ group: 'finance' });
    // access is a model's field in dbt's manifest: a test has none.
    expect('access' in m.nodes![testId]!).toBe(false);
    // The `graph` variable has them too: the model wrote the names it read.
    const rows = await queryDuckDb(join(dir, 'target', 'test.duckdb'), 'select groups from main.summary');
    expect(rows).toEqual([{ groups: 'finance,marketing' }]);
  });

  it('survive the stored graph of a warm parse', async () => {
    const dir = project(files);
    const old = new Date(Date.now() - 3600_000);
    for (const f of [...Object.keys(files), 'project.yml', 'profiles.yml']) utimesSync(join(dir, f), old, old);
    for (let i = 0; i < 2; i++) expect((await parse({ projectDir: dir, profilesDir: dir, env: {} })).exitCode).toBe(0);
    const warm = await prepareProject({ projectDir: dir, profilesDir: dir, env: {} });
    if (!warm.ok) throw new Error('parse failed');
    expect(warm.prepared.parsedFrom).toBe('snapshot');
    expect(Object.keys(warm.prepared.graph.manifest.groups ?? {})).toEqual(['group.p.finance', 'group.p.marketing']);
  });
});
