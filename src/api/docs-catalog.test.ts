/**
 * The catalog of `docs generate`: each schema's columns in one query (dbt's `get_catalog`), not one query per
 * relation — on DuckDB every question to information_schema.columns binds each view of the schema, so a
 * query per relation made a 2,101-view project's catalog take over a minute.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { duckdbAdapter } from '../adapters/duckdb/duckdb-adapter.js';
import type { Connection } from '../adapters/contract.js';
import { readCatalog, type CatalogWanted } from './docs-catalog.js';

/** The connection, counting the queries that read information_schema.columns. */
function counting(connection: Connection): { connection: Connection; columnQueries: () => number } {
  let n = 0;
  const wrapped = new Proxy(connection, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (typeof value !== 'function') return value;
      if (key !== 'query') return (value as (...a: unknown[]) => unknown).bind(wrapped);
      return (sql: string) => {
        if (/information_schema\.columns/i.test(sql)) n++;
        return (value as (s: string) => unknown).call(target, sql);
      };
    },
  });
  return { connection: wrapped, columnQueries: () => n };
}

describe('readCatalog', () => {
  const dir = writeProject({});
  afterAll(() => removeProject(dir));

  it("reads each schema's columns with one query, the same columns as relation by relation, and skips what is not built", async () => {
    const warehouse = await duckdbAdapter.open({ type: 'duckdb', name: 'dev', schema: 'main', threads: 1, settings: { path: join(dir, 'catalog.duckdb') } }, { projectRoot: dir });
    const raw = await warehouse.connect();
    try {
      const statements = ['create schema shelf', 'create table shelf.Crates as select 1 as crate_id, \'oak\' as wood, 2.5::double as weight', "comment on column shelf.Crates.wood is 'what it is made of'"];
      for (let i = 0; i < 12; i++) statements.push(`create view main.lid_${i} as select crate_id, weight * ${i} as w${i} from shelf.Crates`);
      for (const s of statements) await raw.execute(s);
      const wanted: CatalogWanted[] = [
        { uniqueId: 'source.p.shelf.crates', relation: { schema: 'shelf', identifier: 'crates' }, source: true },
        { uniqueId: 'model.p.never_built', relation: { schema: 'shelf', identifier: 'never_built' }, source: false },
        ...Array.from({ length: 12 }, (_, i) => ({ uniqueId: `model.p.lid_${i}`, relation: { schema: 'main', identifier: `lid_${i}` }, source: false })),
      ];
      const { connection, columnQueries } = counting(raw);
      const catalog = await readCatalog(connection, wanted);
      expect(columnQueries()).toBe(2);
      expect(catalog.nodes.map((n) => n.uniqueId)).toEqual(Array.from({ length: 12 }, (_, i) => `model.p.lid_${i}`));
      expect(catalog.sources).toHaveLength(1);
      const crates = catalog.sources[0]!;
      expect(crates).toMatchObject({ identifier: 'Crates', schema: 'shelf', kind: 'table' });
      expect(crates.columns).toEqual(await raw.getColumns({ schema: 'shelf', identifier: 'Crates' }));
      expect(crates.columns.map((c) => [c.name, c.dataType, c.description])).toEqual([['crate_id', 'INTEGER', undefined], ['wood', 'VARCHAR', 'what it is made of'], ['weight', 'DOUBLE', undefined]]);
      for (const n of catalog.nodes) expect(n.columns).toEqual(await raw.getColumns({ schema: 'main', identifier: n.identifier }));
      expect(catalog.nodes[7]!.columns.map((c) => c.name)).toEqual(['crate_id', 'w7']);
    } finally {
      await raw.close();
      await warehouse.close();
    }
  });
});
