/** Model contracts on a real DuckDB file, through the api: column order and types, constraints, a foreign key's ref(). */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { run } from '../api/index.js';

const project = duckDbProjectsRemovedAfterAll();
const go = async (dir: string, extra: Record<string, unknown> = {}): Promise<Awaited<ReturnType<typeof run>>> => run({ projectDir: dir, profilesDir: dir, ...extra });

describe('model contracts', () => {
  const yml = (idType: string): string => `version: 2\nmodels:\n  - name: m\n    config:\n      contract: {enforced: true}\n    columns:\n      - name: id\n        data_type: ${idType}\n      - name: name\n        data_type: text\n`;

  it('builds in the contract column order when the columns match, and fails with the differences, keeping the old table, when not', async () => {
    const p = project({ 'models/m.sql': "{{ config(materialized='table') }} select 'a' as name, 1 as id", 'models/schema.yml': yml('int') });
    expect((await go(p.dir)).exitCode).toBe(0);
    expect(await p.q('select * from main.m')).toEqual([{ id: 1, name: 'a' }]);
    const manifest = JSON.parse(readFileSync(join(p.dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { contract: { enforced: boolean } }> };
    expect(manifest.nodes['model.p.m']!.contract.enforced).toBe(true);

    p.write('models/m.sql', "{{ config(materialized='table') }} select 'b' as name, 'x' as id, 2 as extra");
    const r = await go(p.dir);
    expect(r.exitCode).toBe(1);
    const message = r.results.find((x) => x.uniqueId === 'model.p.m')!.message ?? '';
    expect(message).toContain('This model has an enforced contract that failed.');
    expect(message).toMatch(/\| id +\| VARCHAR +\| INTEGER +\| data type mismatch +\|/);
    expect(message).toMatch(/\| extra +\| INTEGER +\| +\| missing in contract +\|/);
    expect(await p.q('select * from main.m')).toEqual([{ id: 1, name: 'a' }]);
  });

  it('needs a data_type for every column', async () => {
    const p = project({ 'models/m.sql': 'select 1 as id', 'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    config:\n      contract: {enforced: true}\n    columns:\n      - name: id\n' });
    const r = await go(p.dir);
    // Found at parse time (exit 2, nothing built), at the model's entry in the property file.
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics.find((d) => d.severity === 'error')).toMatchObject({ code: 'contract-invalid', file: 'models/schema.yml', line: 3 });
    expect(r.diagnostics.find((d) => d.severity === 'error')?.message).toContain('needs a data_type for every column; missing for: id');
  });

  it('creates the contract\'s constraints: a row that breaks one fails the build and keeps the old table', async () => {
    const yml = `version: 2
models:
  - name: m
    config:
      contract: {enforced: true}
    constraints:
      - type: check
        expression: "amount >= 0"
        name: amount_not_negative
      - type: unique
        columns: [name, amount]
    columns:
      - name: id
        data_type: integer
        constraints:
          - type: not_null
          - type: primary_key
      - name: name
        data_type: varchar
      - name: amount
        data_type: integer
        constraints:
          - type: foreign_key
            expression: "other (id)"
`;
    const table = (rows: string): string => `{{ config(materialized='table') }} select * from (values ${rows}) as t(id, name, amount)`;
    const p = project({ 'models/m.sql': table("(1, 'a', 5), (2, 'b', 0)"), 'models/schema.yml': yml });
    const ok = await go(p.dir);
    expect(ok.exitCode).toBe(0);
    // DuckDB has foreign keys, but a table another references could not be swapped: warned, not created.
    expect(ok.diagnostics.filter((d) => d.severity === 'warn').map((d) => [d.code, d.file])).toEqual([['constraint-not-created', 'models/schema.yml']]);
    expect(ok.diagnostics.find((d) => d.code === 'constraint-not-created')!.message).toContain("the foreign_key constraint on column 'amount' of 'm' is not created");
    const constraints = await p.q("select constraint_type from duckdb_constraints() where table_name = 'm' order by 1");
    expect(constraints.map((c) => c.constraint_type)).toEqual(['CHECK', 'NOT NULL', 'PRIMARY KEY', 'UNIQUE']);

    for (const rows of ["(1, 'a', 5), (1, 'b', 0)", "(1, 'a', 5), (null, 'b', 0)", "(1, 'a', -1)", "(1, 'a', 5), (2, 'a', 5)"]) {
      p.write('models/m.sql', table(rows));
      const r = await go(p.dir);
      expect(r.exitCode).toBe(1);
      expect(r.results[0]!.message).toMatch(/constraint/i);
      expect(await p.q('select id, name, amount from main.m order by id')).toEqual([{ id: 1, name: 'a', amount: 5 }, { id: 2, name: 'b', amount: 0 }]);
    }

    const manifest = JSON.parse(readFileSync(join(p.dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { constraints: unknown[]; columns: Record<string, { constraints: unknown[] }> }> };
    const node = manifest.nodes['model.p.m']!;
    expect(node.constraints).toEqual([
      { type: 'check', name: 'amount_not_negative', expression: 'amount >= 0', warn_unenforced: true, warn_unsupported: true, to: null, to_columns: [] },
      { type: 'unique', name: null, expression: null, warn_unenforced: true, warn_unsupported: true, to: null, to_columns: [], columns: ['name', 'amount'] },
    ]);
    expect(node.columns.id!.constraints.map((c) => (c as { type: string }).type)).toEqual(['not_null', 'primary_key']);
  });

  it('reports a malformed constraint with its file and line', async () => {
    const p = project({ 'models/m.sql': 'select 1 as id', 'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        constraints:\n          - type: not_nul\n          - type: check\n' });
    const r = await go(p.dir);
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.message])).toEqual([
      ['schema-yaml-invalid', 7, "constraint 1 of column 'id' has type 'not_nul'"],
      ['schema-yaml-invalid', 8, "the check constraint of column 'id' needs an expression"],
    ]);
  });
});

describe('a foreign key to: ref()', () => {
  it('makes the referenced model a parent, built first', async () => {
    const p = project({
      'models/customers.sql': "{{ config(materialized='table') }} select 1 as id",
      'models/orders.sql': "{{ config(materialized='table') }} select 1 as customer_id",
      'models/schema.yml': "version: 2\nmodels:\n  - name: orders\n    config:\n      contract: {enforced: true}\n    columns:\n      - name: customer_id\n        data_type: integer\n        constraints:\n          - type: foreign_key\n            to: ref('customers')\n            to_columns: [id]\n",
    });
    const r = await run({ projectDir: p.dir, profilesDir: p.dir });
    expect(r.exitCode).toBe(0);
    expect(r.results.map((x) => x.uniqueId)).toEqual(['model.p.customers', 'model.p.orders']);
    const manifest = JSON.parse(readFileSync(join(p.dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { depends_on: { nodes: string[] } }> };
    expect(manifest.nodes['model.p.orders']!.depends_on.nodes).toEqual(['model.p.customers']);
    expect(r.diagnostics.find((d) => d.code === 'constraint-not-created')!.message).toContain('DuckDB cannot drop a table that another references');
  });
});
