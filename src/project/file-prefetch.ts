/**
 * Reads project files on a second thread ahead of a full parse. Reading and hashing 10,000 files is some
 * 40,000 system calls; on the other core they overlap with macro loading and property-file parsing
 * instead of adding to them. The parse itself stays synchronous: a file not yet delivered is waited for
 * (Atomics.wait on a shared counter, then receiveMessageOnPort), and files come in the order it reads them.
 * Anything wrong with the thread only costs speed: the files it did not deliver are read here as before.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { READER_THREAD, type ReadBatch, type ReaderInput } from './file-read-worker.js';
import type { LazyProjectFile } from './project-file.js';

/** Compiled JavaScript only: run from TypeScript sources (tests), files are read where they are used. */
const WORKER_FILE = fileURLToPath(new URL('./file-read-worker.js', import.meta.url));

/** Files per message. */
const BATCH = 256;

/** Fewer unread files than this are read faster here than a thread starts. */
export const PREFETCH_AFTER = 1000;

/** No batch for this long: the thread is taken to be stuck, and the rest is read here. */
const STALL_MS = 3000;

export class FilePrefetch {
  private received = 0;
  private batchesReceived = 0;
  private stopped = false;

  private constructor(
    private readonly files: LazyProjectFile[],
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly posted: Int32Array,
  ) {}

  /** Starts reading `files` (all on the local disk, none read yet) on another thread; false if it did not start. */
  static start(files: LazyProjectFile[], threshold = PREFETCH_AFTER): boolean {
    if (files.length < threshold || !existsSync(WORKER_FILE)) return false;
    const { port1, port2 } = new MessageChannel();
    const shared = new SharedArrayBuffer(4);
    const input: ReaderInput = { thread: READER_THREAD, paths: files.map((f) => f.absPath), port: port2, posted: shared, batch: BATCH };
    let worker: Worker;
    try {
      worker = new Worker(WORKER_FILE, { workerData: input, transferList: [port2] });
    } catch {
      return false;
    }
    worker.unref();
    // Errors are noticed as a stall; an error event must not end the process.
    worker.on('error', () => undefined);
    const prefetch = new FilePrefetch(files, worker, port1, new Int32Array(shared));
    files.forEach((file, index) => (file.pending = { prefetch, index }));
    return true;
  }

  /** Returns once the file at `index` has been delivered, or the thread has been given up. */
  waitFor(index: number): void {
    while (!this.stopped && index >= this.received) {
      const message = receiveMessageOnPort(this.port);
      if (message) {
        this.accept(message.message as ReadBatch);
        continue;
      }
      const posted = Atomics.load(this.posted, 0);
      // Counted after posting: a batch counted but not yet received is about to be.
      if (posted > this.batchesReceived) continue;
      if (Atomics.wait(this.posted, 0, posted, STALL_MS) === 'timed-out' && Atomics.load(this.posted, 0) === posted) this.stop();
    }
  }

  private accept(batch: ReadBatch): void {
    this.batchesReceived++;
    batch.texts.forEach((text, i) => {
      const file = this.files[batch.start + i]!;
      file.pending = undefined;
      if (text !== null) file.provide(text, { size: batch.stamps[i * 2]!, mtimeMs: batch.stamps[i * 2 + 1]! }, batch.sums[i]!);
    });
    this.received = batch.start + batch.texts.length;
    if (this.received >= this.files.length) this.stop();
  }

  private stop(): void {
    this.stopped = true;
    for (let i = this.received; i < this.files.length; i++) this.files[i]!.pending = undefined;
    this.port.close();
    void this.worker.terminate();
  }
}
