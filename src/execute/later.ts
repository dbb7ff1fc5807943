/**
 * Work a run owes but the warehouse need not wait for: output lines, the SQL log, `target/run/` files. Queued
 * when a node finishes and done in order once the scheduler has handed the warehouse its next statement (at the
 * end of this turn of the event loop), or at once by `flush`, before the run returns.
 */
export class Later {
  private queue: (() => void)[] = [];
  private scheduled = false;

  add(work: () => void): void {
    this.queue.push(work);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  flush(): void {
    this.scheduled = false;
    while (this.queue.length) {
      const work = this.queue;
      this.queue = [];
      for (const w of work) w();
    }
  }
}
