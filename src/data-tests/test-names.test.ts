import { describe, it, expect } from 'vitest';
import { generateTestNodes, testName } from './generate-test-nodes.js';
import type { ManifestNode } from '../parse/types.js';
import { finalConfig } from '../parse/node-config.js';

const model = (name: string, columnTests: Record<string, unknown[]>): ManifestNode => ({
  uniqueId: `model.jaffle_shop.${name}`, resourceType: 'model', packageName: 'jaffle_shop', name, path: `${name}.sql`, originalFilePath: `models/${name}.sql`,
  fqn: ['jaffle_shop', name], language: 'sql', rawCode: '', checksum: { name: 'sha256', checksum: '' }, config: finalConfig('table'), unrenderedConfig: {},
  tags: [], description: '', columns: {}, meta: {}, refs: [], sources: [], dependsOn: { nodes: [], macros: [] }, schema: 'main', alias: name,
  extra: { dataTests: [], columnTests: Object.fromEntries(Object.entries(columnTests).map(([c, ts]) => [c, ts.map((entry) => ({ entry, file: 'models/schema.yml', line: 1 }))])) },
});

describe('generic test names and unique ids match dbt', () => {
  it('reproduces the ids dbt gives the jaffle_shop tests', () => {
    const { nodes, diagnostics } = generateTestNodes({
      projectName: 'jaffle_shop',
      nodes: [
        model('customers', { customer_id: ['unique', 'not_null'] }),
        model('orders', { status: [{ accepted_values: { values: ['placed', 'shipped', 'completed', 'return_pending', 'returned'] } }], customer_id: [{ relationships: { to: "ref('customers')", field: 'customer_id' } }] }),
      ],
      sources: [],
      projectTestConfig: {},
      knownTestMacros: ['unique', 'not_null', 'accepted_values', 'relationships'],
    });
    expect(diagnostics).toEqual([]);
    expect(nodes.map((n) => n.uniqueId).sort()).toEqual([
      'test.jaffle_shop.accepted_values_orders_status__placed__shipped__completed__return_pending__returned.be6b5b5ec3',
      'test.jaffle_shop.not_null_customers_customer_id.5c9bf9911d',
      'test.jaffle_shop.relationships_orders_customer_id__customer_id__ref_customers_.c6ec7f58f2',
      'test.jaffle_shop.unique_customers_customer_id.c5af1ff4b1',
    ]);
    const av = nodes.find((n) => n.testMetadata?.name === 'accepted_values')!;
    expect(av.alias).toBe('accepted_values_orders_1ce6ab157c285f7cd2ac656013faf758');
    const rel = nodes.find((n) => n.testMetadata?.name === 'relationships')!;
    expect(rel.refs.map((r) => r.name)).toEqual(['orders', 'customers']);
    expect(rel.attachedNode).toBe('model.jaffle_shop.orders');
  });

  it("records refs and sources written inside {{ }} in test arguments, as dbt's render of them does", () => {
    const { nodes } = generateTestNodes({
      projectName: 'jaffle_shop',
      nodes: [model('orders', { customer_id: [{ relationships: { to: "{{ ref('customers') }}", field: 'customer_id' } }, { some_check: { compare: "select id from {{ ref('shop', 'payments') }} join {{ source('raw', 'refunds') }} using (id)" } }] })],
      sources: [],
      projectTestConfig: {},
      knownTestMacros: ['relationships', 'some_check'],
    });
    const rel = nodes.find((n) => n.testMetadata?.name === 'relationships')!;
    expect(rel.refs.map((r) => r.name)).toEqual(['orders', 'customers']);
    const check = nodes.find((n) => n.testMetadata?.name === 'some_check')!;
    expect(check.refs.map((r) => [r.package ?? null, r.name])).toEqual([[null, 'orders'], ['shop', 'payments']]);
    expect(check.sources.map((x) => [x.source, x.table])).toEqual([['raw', 'refunds']]);
  });

  it('names source tests with the source_ prefix', () => {
    expect(testName('source_not_null', 'crm_customers', { column_name: 'id', model: 'x' })).toEqual({ name: 'source_not_null_crm_customers_id', alias: 'source_not_null_crm_customers_id' });
  });
});
