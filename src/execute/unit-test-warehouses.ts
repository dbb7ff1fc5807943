import type { Warehouse } from '../adapters/contract.js';

/**
 * The in-memory warehouses a run's unit tests run in on the embedded warehouse, one fresh warehouse per test.
 * Opening and closing one are not the test's work, so they happen beside the run's other work instead of
 * on the test's path: the next warehouse is opened ahead (the first when the run starts, while it lands and
 * builds what the tests wait for), a used one is closed without the test waiting, and `close` waits for all of
 * them before the command ends.
 */
export class UnitTestWarehouses {
  private ahead?: Promise<Warehouse>;
  private readonly closing: Promise<void>[] = [];
  private closed = false;

  /** `open` opens one in-memory warehouse; `tests`: how many unit tests the run may take one for. */
  constructor(private readonly open: () => Promise<Warehouse>, private tests: number) {}

  /** Starts opening the next warehouse, if a test is still to take one. */
  openAhead(): void {
    if (this.ahead || this.closed || this.tests <= 0) return;
    this.ahead = this.open();
    // A failure is the taking test's to report; never an unhandled rejection meanwhile.
    this.ahead.catch(() => undefined);
  }

  /** A fresh warehouse for one test (its failure to open is the test's), and the next one opened meanwhile. */
  take(): Promise<Warehouse> {
    const taken = this.ahead ?? this.open();
    this.ahead = undefined;
    this.tests--;
    this.openAhead();
    return taken;
  }

  /** A test's warehouse, closed without the test waiting. */
  release(warehouse: Warehouse): void {
    this.closing.push(warehouse.close().catch(() => undefined));
  }

  /** Closes the warehouse opened ahead and waits for every warehouse released. */
  async close(): Promise<void> {
    this.closed = true;
    const ahead = this.ahead;
    this.ahead = undefined;
    if (ahead) this.closing.push(ahead.then((w) => w.close()).catch(() => undefined));
    await Promise.all(this.closing);
  }
}
