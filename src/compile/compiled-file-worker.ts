/**
 * Worker thread of CompiledFileWriter: creates and writes files while the main thread renders SQL.
 * Receives batches of [absolute path, text]; answers each batch with the size and modification time of
 * every file written, or the error that stopped one.
 */
import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';

export type WriteBatch = { id: number; files: [string, string][] };
export type WriteReceipt = { id: number; written: [number, number, number][]; failed: [number, string][] };

parentPort?.on('message', ({ id, files }: WriteBatch) => {
  const receipt: WriteReceipt = { id, written: [], failed: [] };
  files.forEach(([path, text], i) => {
    try {
      const fd = openSync(path, 'w');
      try {
        writeSync(fd, text);
        const st = fstatSync(fd);
        receipt.written.push([i, st.size, st.mtimeMs]);
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      receipt.failed.push([i, (e as Error).message]);
    }
  });
  parentPort!.postMessage(receipt);
});
