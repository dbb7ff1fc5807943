import type { Adapter, Warehouse } from '../adapters/contract.js';
import type { LoadedProject } from '../project/types.js';

/**
 * A warehouse opened while the command still reads the project, where opening leaves it as it is (the adapter
 * says so: an existing DuckDB file): its driver opens it on a thread of its own meanwhile. The run takes it; a
 * command that stops before running anything closes it unused. A failure to open is the run's to report, when
 * it takes the warehouse, as if it had opened it then.
 */
export class EarlyOpen {
  private opening?: Promise<Warehouse>;
  private taken = false;

  /** Starts opening the target, if its adapter says opening it writes nothing. */
  readonly start = ({ project, adapter, invocationId }: { project: LoadedProject; adapter: Adapter; invocationId: string }): void => {
    const options = { projectRoot: project.config.rootDir, secrets: project.secrets, invocationId };
    if (this.opening || !adapter.opensWithoutWriting?.(project.target, options)) return;
    this.opening = adapter.open(project.target, options);
    // Reported when taken; never an unhandled rejection meanwhile.
    this.opening.catch(() => undefined);
  };

  /** The warehouse being opened, if any: the caller now owns it (and reports its failure). */
  take(): Promise<Warehouse> | undefined {
    if (this.taken) return undefined;
    this.taken = true;
    return this.opening;
  }

  /** Closes the warehouse if nobody took it. */
  async discard(): Promise<void> {
    const unused = this.take();
    if (!unused) return;
    const warehouse = await unused.catch(() => undefined);
    await warehouse?.close().catch(() => undefined);
  }
}
