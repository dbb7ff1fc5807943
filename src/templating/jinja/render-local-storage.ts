import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * An AsyncLocalStorage that is enabled only while a render started through `run` is under way. While any
 * AsyncLocalStorage is enabled, Node (20) keeps promise hooks on for the whole process, so every promise pays for
 * them: in a run, the warehouse driver's and the scheduler's too, between renders. When the last render has
 * settled, the storage is disabled (no code can ask for a store then) and the hooks go off with it.
 */
export class RenderLocalStorage<T> {
  private readonly storage = new AsyncLocalStorage<T>();
  private running = 0;

  /** `fn` with `store` as the store of everything it starts; a promise it returns is awaited before the count drops. */
  run<R>(store: T, fn: () => R): R {
    this.running++;
    let out: R;
    try {
      out = this.storage.run(store, fn);
    } catch (e) {
      this.settled();
      throw e;
    }
    if (out instanceof Promise) return out.finally(() => this.settled()) as R;
    this.settled();
    return out;
  }

  getStore(): T | undefined {
    return this.running ? this.storage.getStore() : undefined;
  }

  private settled(): void {
    if (--this.running === 0) this.storage.disable();
  }
}
