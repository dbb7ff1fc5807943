import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Connection } from '../adapters/contract.js';
import type { ManifestNode } from '../parse/types.js';
import { targetFilePath } from '../parse/index.js';
import type { RunProject } from './types.js';
import { CompiledFileWriter } from '../compile/index.js';

export interface Statement {
  sql: string;
  /** Seconds. */
  elapsed: number;
  ok: boolean;
}

/**
 * The connection, telling `onStatement` of each statement it runs and how long it took. Its own methods
 * see the wrapper as `this`, so statements they run (introspection, a landing's transaction) are told too.
 */
export function observeConnection(connection: Connection, onStatement: (s: Statement) => void): Connection {
  // One wrapper per method, made on first use: a node's statements go through it many times.
  const made = new Map<PropertyKey, { fn: unknown; wrapper: unknown }>();
  const proxy: Connection = new Proxy(connection, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (typeof value !== 'function') return value;
      const known = made.get(key);
      if (known?.fn === value) return known.wrapper;
      const fn = value as (...a: unknown[]) => Promise<unknown>;
      const wrapper = key !== 'execute' && key !== 'query' ? fn.bind(proxy) : async (sql: string) => {
        const t0 = performance.now();
        try {
          const r = await fn.call(proxy, sql);
          onStatement({ sql, elapsed: (performance.now() - t0) / 1000, ok: true });
          return r;
        } catch (e) {
          onStatement({ sql, elapsed: (performance.now() - t0) / 1000, ok: false });
          throw e;
        }
      };
      made.set(key, { fn: value, wrapper });
      return wrapper;
    },
  });
  return proxy;
}

/** Where dbt writes the SQL a node ran: `target/run/<package>/<path>` (a generic test: a file per test, as compiled/). */
export function runFilePath(p: RunProject, node: ManifestNode): string {
  return join(p.targetDir, 'run', targetFilePath(p.graph.manifest.packageDirs, node));
}

function runFileText(p: RunProject, statements: string[]): string {
  return p.scrubber.scrub(statements.map((s) => s.trim().replace(/;$/, '')).join(';\n\n') + ';\n');
}

/**
 * Writes the statements each node ran to target/run/ (secrets scrubbed; nothing for a node that ran none),
 * leaving a file alone when it already holds the same text (as target/compiled/: an index beside the folder
 * vouches for it without reading it). `settled()` waits for the writes and saves that index.
 */
export function runFileWriter(p: RunProject): { write: (node: ManifestNode, statements: string[]) => void; settled: () => Promise<void> } {
  const root = join(p.targetDir, 'run');
  const files = new CompiledFileWriter(root);
  const pending = new Set<Promise<void>>();
  const write = (node: ManifestNode, statements: string[]): void => {
    if (!statements.length) return;
    // A failed write never fails the node: target/run/ is a record for the user.
    const done: Promise<void> = files.write(relative(root, runFilePath(p, node)), runFileText(p, statements)).catch(() => undefined).finally(() => pending.delete(done));
    pending.add(done);
  };
  return {
    write,
    settled: async () => {
      await Promise.all([...pending]);
      files.saveIndex();
    },
  };
}
