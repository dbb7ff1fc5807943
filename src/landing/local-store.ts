import { copyFile, lstat, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ObjectInfo, ObjectStore } from './object-store.js';
import { compareNames } from '../project/name-order.js';

/**
 * A local folder. ETag: size and modification time. Its objects' URIs: for a folder of the project named by a
 * relative location (`landing/call_logs/`), the path relative to the project root (`file:landing/call_logs/x.csv`),
 * so a project folder that moved, or another copy of it, names the same objects; otherwise (`file:///abs/dir/`,
 * `/abs/dir`, `../elsewhere`) the absolute `file:///abs/dir/x.csv`.
 */
export class LocalStore implements ObjectStore {
  readonly location: string;
  /** The folder relative to the project root, forward slashes, ending in `/` (`landing/call_logs/`); unset for an absolute location. */
  readonly relativeLocation?: string;

  /**
   * `dir`: the folder (absolute); `relativeDir`: the same folder relative to the project root, when it lies inside
   * it; `projectRoot`: that root (absolute).
   */
  constructor(
    private readonly dir: string,
    relativeDir?: string,
    readonly projectRoot?: string,
  ) {
    if (relativeDir === undefined) {
      this.location = `file://${dir.endsWith('/') ? dir : `${dir}/`}`;
    } else {
      this.relativeLocation = relativeDir === '' ? '' : `${relativeDir.replace(/\/+$/, '')}/`;
      this.location = `file:${this.relativeLocation}`;
    }
  }

  async *list(only?: string): AsyncIterable<ObjectInfo> {
    if (only !== undefined) {
      const found = await this.lookUp(only);
      if (found) yield found;
      return;
    }
    const walk = async function* (d: string): AsyncIterable<string> {
      let entries;
      try {
        entries = await readdir(d, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries.sort((a, b) => compareNames(a.name, b.name))) {
        if (e.name.startsWith('.')) continue;
        const p = join(d, e.name);
        if (e.isDirectory()) yield* walk(p);
        else if (e.isFile()) yield p;
      }
    };
    // The files' sizes and times are asked all at once: one by one, each waits its turn on a busy event loop.
    const files: string[] = [];
    for await (const file of walk(this.dir)) files.push(file);
    const stats = await Promise.all(files.map((file) => stat(file)));
    for (const [i, file] of files.entries()) {
      const s = stats[i]!;
      yield { key: relative(this.dir, file).split(sep).join('/'), size: s.size, etag: `${s.size}-${Math.floor(s.mtimeMs)}` };
    }
  }

  /**
   * One key as the listing would give it, without reading the folder (a day's file among every file ever
   * dropped there): each folder on its way a real folder, the file a regular file, no name starting with a dot.
   */
  private async lookUp(key: string): Promise<ObjectInfo | undefined> {
    const parts = key.split('/');
    if (parts.some((p) => p === '' || p.startsWith('.'))) return undefined;
    let path = this.dir;
    for (const [i, part] of parts.entries()) {
      path = join(path, part);
      const s = await lstat(path).catch(() => undefined);
      const last = i === parts.length - 1;
      if (!s || !(last ? s.isFile() : s.isDirectory())) return undefined;
      if (last) return { key, size: s.size, etag: `${s.size}-${Math.floor(s.mtimeMs)}` };
    }
    return undefined;
  }

  async download(key: string, toFile: string): Promise<void> {
    await copyFile(join(this.dir, key), toFile);
  }

  uri(key: string): string {
    return `${this.location}${key}`;
  }
}
