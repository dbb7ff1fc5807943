import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const PARALLEL_WRITES = 16;

/** Writes a file and stats it through the same handle, all off the main thread. */
async function writeAndStat(path: string, text: string): Promise<{ size: number; mtimeMs: number }> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(text);
    return await handle.stat();
  } finally {
    await handle.close();
  }
}

/** size, modification time and sha1 of a compiled file as Strata last wrote it. */
type Written = [number, number, string];

/**
 * Writes compiled SQL under `target/compiled`, leaving a file alone when its text is unchanged: rewriting
 * 10,000 files dominates a compile on a slow disk, and tools watching the folder see only what changed.
 * An index of what was written (`compiled.index.strata.json` beside the folder) tells a file is unchanged
 * without reading it; a file the index cannot vouch for is compared by content.
 */
export class CompiledFileWriter {
  private readonly madeDirs = new Set<string>();
  /** Folders this writer created: nothing in them can be on disk yet, so there is nothing to compare. */
  private readonly newDirs = new Set<string>();
  private readonly indexPath: string;
  private index: Record<string, Written> = {};
  private pending?: Set<Promise<void>>;
  private failure?: unknown;

  constructor(private readonly dir: string) {
    this.indexPath = `${dir}.index.strata.json`;
    try {
      this.index = JSON.parse(readFileSync(this.indexPath, 'utf8')) as Record<string, Written>;
    } catch {
      this.index = {};
    }
  }

  /** Writes one file (relative to the folder). Inside `batch`, writes run in parallel. */
  async write(rel: string, sql: string): Promise<void> {
    const path = join(this.dir, rel);
    const folder = dirname(path);
    if (!this.madeDirs.has(folder)) {
      if (mkdirSync(folder, { recursive: true }) !== undefined) this.newDirs.add(folder);
      this.madeDirs.add(folder);
    }
    const digest = createHash('sha1').update(sql).digest('hex');
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
    const done = (): void => {
      const st = statSync(path, { throwIfNoEntry: false });
      if (st) this.index[rel] = [st.size, st.mtimeMs, digest];
    };
    const pending = this.pending;
    if (!pending) {
      writeFileSync(path, sql);
      return done();
    }
    if (pending.size >= PARALLEL_WRITES) await Promise.race(pending);
    // A failure is kept, not left unhandled: `batch` throws the first once every write has settled.
    const write: Promise<void> = writeAndStat(path, sql)
      .then(
        (st) => {
          this.index[rel] = [st.size, st.mtimeMs, digest];
        },
        (e: unknown) => {
          this.failure ??= e;
        },
      )
      .finally(() => pending.delete(write));
    pending.add(write);
  }

  /** Runs `fn` with parallel writes, waits for all of them, and saves the index. */
  async batch<T>(fn: () => Promise<T>): Promise<T> {
    const pending = new Set<Promise<void>>();
    this.pending = pending;
    let result: T;
    try {
      result = await fn();
    } finally {
      this.pending = undefined;
      await Promise.all(pending);
      this.saveIndex();
    }
    const failure = this.failure;
    this.failure = undefined;
    if (failure) throw failure;
    return result;
  }

  /** Records what was written, so the next compile need not read unchanged files. */
  saveIndex(): void {
    try {
      const tmp = `${this.indexPath}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(this.index));
      renameSync(tmp, this.indexPath);
    } catch {
      // Without the index the next compile compares files by content: slower, never wrong.
    }
  }
}
