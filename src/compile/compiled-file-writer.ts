import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { hexDigest, replaceFile } from '../project/index.js';
import { WRITER_THREAD, writeAndStat, type WriteBatch, type WriteReceipt } from './compiled-file-worker.js';

/** Files handed to the writing thread at a time. */
const BATCH = 128;

/** New files written on the calling thread before a batch starts the writing thread: a small project never needs it. */
const THREAD_AFTER = 64;

/** Compiled JavaScript only: run from TypeScript sources (tests), files are written on the calling thread. */
const WORKER_FILE = fileURLToPath(new URL('./compiled-file-worker.js', import.meta.url));

/** size, modification time and sha1 of a compiled file as Strata last wrote it. */
type Written = [number, number, string];

/** The writing thread of one `batch`: files go out in batches, receipts come back. */
class WriterThread {
  private readonly worker = new Worker(WORKER_FILE, { workerData: WRITER_THREAD });
  private queue: { rel: string; path: string; text: string; digest: string }[] = [];
  private readonly inFlight = new Map<number, { rel: string; digest: string }[]>();
  private nextId = 0;
  private failure?: unknown;
  private settle?: () => void;
  private readonly crashed: Promise<never>;

  constructor(private readonly onWritten: (rel: string, written: Written) => void) {
    this.worker.on('message', (r: WriteReceipt) => this.receive(r));
    this.crashed = new Promise((_resolve, reject) => {
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => reject(new Error(`the thread writing compiled SQL stopped (exit code ${code})`)));
    });
    this.crashed.catch(() => undefined);
  }

  add(rel: string, path: string, text: string, digest: string): void {
    this.queue.push({ rel, path, text, digest });
    if (this.queue.length >= BATCH) this.send();
  }

  /** Sends what is queued and waits for every receipt; throws the first failed write. */
  async finish(): Promise<void> {
    this.send();
    try {
      if (this.inFlight.size) await Promise.race([new Promise<void>((resolve) => (this.settle = resolve)), this.crashed]);
    } finally {
      void this.worker.terminate();
    }
    if (this.failure) throw this.failure;
  }

  private send(): void {
    if (!this.queue.length) return;
    const id = this.nextId++;
    this.inFlight.set(id, this.queue.map(({ rel, digest }) => ({ rel, digest })));
    this.worker.postMessage({ id, files: this.queue.map(({ path, text }) => [path, text]) } satisfies WriteBatch);
    this.queue = [];
  }

  private receive({ id, written, failed }: WriteReceipt): void {
    const files = this.inFlight.get(id) ?? [];
    this.inFlight.delete(id);
    for (const [i, size, mtimeMs] of written) this.onWritten(files[i]!.rel, [size, mtimeMs, files[i]!.digest]);
    if (failed.length) this.failure ??= new Error(`cannot write compiled SQL ${files[failed[0]![0]]!.rel}: ${failed[0]![1]}`);
    if (!this.inFlight.size) this.settle?.();
  }
}

/**
 * Writes compiled SQL under `target/compiled`, leaving a file alone when its text is unchanged: rewriting
 * 10,000 files dominates a compile on a slow disk, and tools watching the folder see only what changed.
 * An index of what was written (`compiled.index.strata.json` beside the folder) tells a file is unchanged
 * without reading it; a file the index cannot vouch for is compared by content. Inside `batch`, files are
 * created on a second thread while this one goes on rendering.
 */
export class CompiledFileWriter {
  private readonly madeDirs = new Set<string>();
  /** Folders this writer created: nothing in them can be on disk yet, so there is nothing to compare. */
  private readonly newDirs = new Set<string>();
  private readonly indexPath: string;
  private index: Record<string, Written> = {};
  private thread?: WriterThread;
  /** Inside `batch`: new files written so far (the thread starts past THREAD_AFTER). */
  private batchWrites?: number;
  /** Whether the last `batch` wrote on a second thread (not when Strata runs from its TypeScript sources). */
  threaded = false;

  constructor(private readonly dir: string) {
    this.indexPath = `${dir}.index.strata.json`;
    try {
      this.index = JSON.parse(readFileSync(this.indexPath, 'utf8')) as Record<string, Written>;
    } catch {
      this.index = {};
    }
  }

  /** Writes one file (relative to the folder). Inside `batch` it may still be in progress when this returns. */
  async write(rel: string, sql: string): Promise<void> {
    const path = join(this.dir, rel);
    const folder = dirname(path);
    if (!this.madeDirs.has(folder)) {
      if (mkdirSync(folder, { recursive: true }) !== undefined) this.newDirs.add(folder);
      this.madeDirs.add(folder);
    }
    const digest = hexDigest('sha1', sql);
    const old = this.newDirs.has(folder) ? undefined : statSync(path, { throwIfNoEntry: false });
    if (old && old.size === Buffer.byteLength(sql)) {
      const known = this.index[rel];
      if (known && known[0] === old.size && known[1] === old.mtimeMs) {
        if (known[2] === digest) return;
      } else if (readFileSync(path, 'utf8') === sql) {
        this.index[rel] = [old.size, old.mtimeMs, digest];
        return;
      }
    }
    if (this.batchWrites !== undefined && ++this.batchWrites === THREAD_AFTER + 1) this.thread = this.startThread();
    if (this.thread) return this.thread.add(rel, path, sql, digest);
    let st: { size: number; mtimeMs: number };
    try {
      st = writeAndStat(path, sql);
    } catch (e) {
      throw new Error(`cannot write compiled SQL ${rel}: ${(e as Error).message}`);
    }
    this.index[rel] = [st.size, st.mtimeMs, digest];
  }

  /** Runs `fn`; past a few new files they are written on a second thread. Waits for all of them and saves the index. */
  async batch<T>(fn: () => Promise<T>): Promise<T> {
    this.batchWrites = 0;
    this.threaded = false;
    const finish = async (): Promise<void> => {
      const thread = this.thread;
      this.thread = undefined;
      this.batchWrites = undefined;
      this.threaded = thread !== undefined;
      await thread?.finish();
    };
    let result: T;
    try {
      result = await fn();
    } catch (e) {
      await finish().catch(() => undefined);
      this.saveIndex();
      throw e;
    }
    try {
      await finish();
    } finally {
      this.saveIndex();
    }
    return result;
  }

  private startThread(): WriterThread | undefined {
    if (!existsSync(WORKER_FILE)) return undefined;
    try {
      return new WriterThread((rel, written) => (this.index[rel] = written));
    } catch {
      return undefined;
    }
  }

  /** Records what was written, so the next compile need not read unchanged files. */
  saveIndex(): void {
    try {
      replaceFile(this.indexPath, JSON.stringify(this.index));
    } catch {
      // Without the index the next compile compares files by content: slower, never wrong.
    }
  }
}
