/**
 * Worker thread of FilePrefetch: reads and hashes project files while the main thread loads macros and
 * parses property files. Posts them in batches on the port it was given, and counts each batch in the
 * shared counter, so the main thread can wait for one without returning to its event loop.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { hexDigest } from './digest.js';
import { readStamped } from './file-source.js';

/** Marks the thread FilePrefetch starts: this module is also imported elsewhere. */
export const READER_THREAD = 'strata-file-reader';

export interface ReaderInput {
  thread: typeof READER_THREAD;
  paths: string[];
  port: MessagePort;
  /** Int32 [batches posted]. */
  posted: SharedArrayBuffer;
  batch: number;
}

/** Files from `start` on: text, sha256, size and modification time; a file that could not be read is left out (null). */
export interface ReadBatch {
  start: number;
  texts: (string | null)[];
  sums: (string | null)[];
  stamps: Float64Array;
}

const input = workerData as ReaderInput | undefined;
if (parentPort && input?.thread === READER_THREAD) {
  const posted = new Int32Array(input.posted);
  for (let start = 0; start < input.paths.length; start += input.batch) {
    const end = Math.min(start + input.batch, input.paths.length);
    const out: ReadBatch = { start, texts: [], sums: [], stamps: new Float64Array((end - start) * 2) };
    for (let i = start; i < end; i++) {
      try {
        const { text, stamp } = readStamped(input.paths[i]!);
        out.texts.push(text);
        out.sums.push(hexDigest('sha256', text));
        out.stamps[(i - start) * 2] = stamp.size;
        out.stamps[(i - start) * 2 + 1] = stamp.mtimeMs;
      } catch {
        // The main thread reads it again and reports the error where the file is used.
        out.texts.push(null);
        out.sums.push(null);
      }
    }
    input.port.postMessage(out, [out.stamps.buffer as ArrayBuffer]);
    Atomics.add(posted, 0, 1);
    Atomics.notify(posted, 0);
  }
  input.port.close();
}
