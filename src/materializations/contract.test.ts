/** The contract check's queries are valid SQL for both warehouses (checked by a real parser). */
import { describe, it, expect } from 'vitest';
import { parse } from 'sql-parser-cst';
import { bigqueryDialect } from '../adapters/bigquery/bigquery-dialect.js';
import { duckdbDialect } from '../adapters/duckdb/duckdb-dialect.js';
import { contractDdl, contractQueries, constraintWarnings } from './contract.js';
import type { ContractDdl } from '../adapters/contract.js';
import type { ManifestNode } from '../parse/types.js';

describe('contract queries', () => {
  it('parse as BigQuery and as DuckDB SQL', () => {
    const columns = [{ name: 'id', dataType: 'int64' }, { name: 'created at', dataType: 'timestamp' }];
    const bq = contractQueries('select 1 as id, current_timestamp() as `created at`', columns, bigqueryDialect);
    for (const sql of [bq.model, bq.contract]) expect(() => parse(sql, { dialect: 'bigquery' })).not.toThrow();
    expect(bq.contract).toBe('select * from (\nselect cast(null as int64) as `id`, cast(null as timestamp) as `created at`\n) as strata_contract_types where false limit 0');
    const duck = contractQueries('select 1 as id', [{ name: 'id', dataType: 'integer' }], duckdbDialect);
    expect(() => parse(duck.contract, { dialect: 'postgresql' })).not.toThrow();
  });

  it('creates BigQuery tables with the contract: not null checked, keys not enforced, the rest left out with a warning', () => {
    const contract: ContractDdl = {
      columns: [
        { name: 'id', dataType: 'int64', constraints: [{ type: 'not_null' }, { type: 'primary_key' }] },
        { name: 'customer_id', dataType: 'string', constraints: [{ type: 'foreign_key', name: 'fk_customer', expression: '`p`.`gold`.`dim_customers` (customer_id)' }, { type: 'unique' }] },
      ],
      constraints: [{ type: 'check', expression: 'id > 0' }],
    };
    const sql = bigqueryDialect.createTableAs({ database: 'p', schema: 'gold', identifier: 'fct' }, 'select 1 as id, "c" as customer_id', { config: { partition_by: { field: 'id', data_type: 'int64', range: { start: 0, end: 10, interval: 1 } } }, contract });
    expect(sql.split('\n').slice(0, 6)).toEqual([
      'create or replace table `p`.`gold`.`fct` (',
      '  `id` int64 not null,',
      '  `customer_id` string,',
      '  primary key (`id`) not enforced,',
      '  constraint `fk_customer` foreign key (`customer_id`) references `p`.`gold`.`dim_customers` (customer_id) not enforced',
      ')',
    ]);
    expect(() => parse(sql, { dialect: 'bigquery' })).not.toThrow();
    const node = { name: 'fct', originalFilePath: 'models/fct.sql', patchPath: 'models/schema.yml', config: { materialized: 'table', contract: { enforced: true } }, columns: Object.fromEntries(contract.columns.map((c) => [c.name, { name: c.name, dataType: c.dataType, constraints: c.constraints.map((k) => ({ ...k, warnUnenforced: true, warnUnsupported: k.type !== 'unique' })) }])), constraints: [{ type: 'check', expression: 'id > 0', warnUnenforced: true, warnUnsupported: true }] } as unknown as ManifestNode;
    expect(constraintWarnings(node, bigqueryDialect).map((d) => d.message)).toEqual([
      "the check constraint on 'fct' is not created: bigquery does not support check constraints here",
      "the primary_key constraint on column 'id' of 'fct' is created but not enforced by bigquery: rows that break it are still written",
      "the foreign_key constraint on column 'customer_id' of 'fct' is created but not enforced by bigquery: rows that break it are still written",
    ]);
    const duck = duckdbDialect.createTableAs({ schema: 'gold', identifier: 'fct' }, 'select 1 as id', { contract: { columns: [{ name: 'id', dataType: 'integer', constraints: [{ type: 'not_null' }, { type: 'check', name: 'positive', expression: 'id > 0' }] }], constraints: [] } });
    expect(duck).toBe('create or replace table "gold"."fct" (\n  "id" integer not null,\n  constraint "positive" check (id > 0)\n);\ninsert into "gold"."fct"\nselect * from (\nselect 1 as id\n) as strata_contract');
  });
});

describe('foreign keys written as to: ref()', () => {
  it('reference the ref\u2019s relation and columns', () => {
    const node = { name: 'orders', config: { materialized: 'table', contract: { enforced: true } }, columns: { customer_id: { name: 'customer_id', dataType: 'int64', constraints: [{ type: 'foreign_key', to: "ref('customers')", toColumns: ['id'], warnUnenforced: true, warnUnsupported: true }] } }, constraints: [] } as unknown as ManifestNode;
    const ddl = contractDdl(node, (call) => (call === "ref('customers')" ? '`p`.`gold`.`customers`' : undefined), (c) => `\`${c}\``)!;
    expect(ddl.columns[0]!.constraints[0]!.expression).toBe('`p`.`gold`.`customers` (`id`)');
    const sql = bigqueryDialect.createTableAs({ database: 'p', schema: 'gold', identifier: 'orders' }, 'select 1 as customer_id', { contract: ddl });
    expect(sql).toContain('foreign key (`customer_id`) references `p`.`gold`.`customers` (`id`) not enforced');
    expect(() => parse(sql, { dialect: 'bigquery' })).not.toThrow();
    // A to: that does not resolve is left out, with a warning naming it.
    expect(constraintWarnings(node, bigqueryDialect, () => undefined).map((d) => d.message)).toEqual(["the foreign_key constraint on column 'customer_id' of 'orders' is not created: its to: ref('customers') is not a ref() or source() of this project"]);
  });
});
