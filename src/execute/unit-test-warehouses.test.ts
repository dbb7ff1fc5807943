import { describe, expect, it } from 'vitest';
import type { Warehouse } from '../adapters/contract.js';
import { embeddedConventions, loadAdapter } from '../adapters/registry.js';
import { UnitTestWarehouses } from './unit-test-warehouses.js';

/** Opens real in-memory warehouses of the embedded adapter, counting opens and closes. */
async function counted(): Promise<{ open: () => Promise<Warehouse>; opened: Warehouse[]; closed: Warehouse[] }> {
  const embedded = embeddedConventions();
  const adapter = (await loadAdapter(embedded.type))!;
  const opened: Warehouse[] = [];
  const closed: Warehouse[] = [];
  const open = async (): Promise<Warehouse> => {
    const w = await adapter.open(embedded.embedded.memoryTarget, { projectRoot: process.cwd() });
    const wrapped: Warehouse = Object.assign(Object.create(w) as Warehouse, {
      close: async () => {
        closed.push(wrapped);
        await w.close();
      },
    });
    opened.push(wrapped);
    return wrapped;
  };
  return { open, opened, closed };
}

describe('the unit tests\' in-memory warehouses', () => {
  it('gives each test a fresh warehouse, opens the next one ahead and no more than the tests need', async () => {
    const c = await counted();
    const pool = new UnitTestWarehouses(c.open, 2);
    pool.openAhead();
    const first = await pool.take();
    const conn = await first.connect();
    await conn.execute('create table given_rows as select 1 as id');
    await conn.close();
    pool.release(first);
    const second = await pool.take();
    expect(second).not.toBe(first);
    const conn2 = await second.connect();
    // A table of the first test's warehouse is not in the second's.
    await expect(conn2.query('select * from given_rows')).rejects.toThrow();
    await conn2.close();
    pool.release(second);
    await pool.close();
    // Two tests, two warehouses: none opened ahead for a third test that does not exist.
    expect(c.opened).toHaveLength(2);
    expect(new Set(c.closed)).toEqual(new Set(c.opened));
  });

  it('closes the warehouse opened ahead when no test took it (a run stopped early)', async () => {
    const c = await counted();
    const pool = new UnitTestWarehouses(c.open, 3);
    pool.openAhead();
    await pool.close();
    expect(c.opened).toHaveLength(1);
    expect(c.closed).toEqual(c.opened);
  });

  it('reports a failure to open to the test that takes the warehouse, and to no one before', async () => {
    let opens = 0;
    const pool = new UnitTestWarehouses(async () => {
      opens++;
      throw new Error('cannot open');
    }, 1);
    pool.openAhead();
    await new Promise((r) => setTimeout(r, 10));
    await expect(pool.take()).rejects.toThrow('cannot open');
    expect(opens).toBe(1);
    await pool.close();
  });
});
