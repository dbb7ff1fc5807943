/**
 * Worker thread of CompiledFileWriter: creates and writes files while the main thread renders SQL.
 * Receives batches of [absolute path, text]; answers each batch with the size and modification time of
 * every file written, or the error that stopped one.
 */
import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

/** Marks the thread CompiledFileWriter starts: this module is also imported elsewhere, maybe inside another worker. */
export const WRITER_THREAD = 'strata-compiled-file-writer';

export type WriteBatch = { id: number; files: [string, string][] };
export type WriteReceipt = { id: number; written: [number, number, number][]; failed: [number, string][] };

/** Writes a file and stats it through the same descriptor (used on both threads). */
export function writeAndStat(path: string, text: string): { size: number; mtimeMs: number } {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, text);
    return fstatSync(fd);
  } finally {
    closeSync(fd);
  }
}

if (workerData === WRITER_THREAD) parentPort?.on('message', ({ id, files }: WriteBatch) => {
  const receipt: WriteReceipt = { id, written: [], failed: [] };
  files.forEach(([path, text], i) => {
    try {
      const st = writeAndStat(path, text);
      receipt.written.push([i, st.size, st.mtimeMs]);
    } catch (e) {
      receipt.failed.push([i, (e as Error).message]);
    }
  });
  parentPort!.postMessage(receipt);
});
