import { hexDigest } from './digest.js';
import { readStamped } from './file-source.js';
import type { FileSource, FileStamp, ProjectFile, ProjectFileKind } from './types.js';

/**
 * A project file whose contents are read on first use. A warm parse that finds every file unchanged
 * (by stamp) never reads model files at all; their checksums come from the snapshot that vouched for them.
 */
export class LazyProjectFile implements ProjectFile {
  private text?: string;
  private sum?: string;
  /** Set when a snapshot vouched for the file; otherwise taken by `currentStamp()`. */
  stamp?: FileStamp;
  /** A macro file of an installed package: its package. */
  packageName?: string;
  /** Set while another thread is reading the file (file-prefetch.ts): its text, stamp and checksum come from there. */
  pending?: { prefetch: { waitFor(index: number): void }; index: number };

  constructor(
    readonly kind: ProjectFileKind,
    readonly path: string,
    readonly pathInResource: string,
    readonly resourcePath: string,
    readonly absPath: string,
    private readonly fs: FileSource,
  ) {}

  get contents(): string {
    if (this.text === undefined && this.pending) this.pending.prefetch.waitFor(this.pending.index);
    if (this.text === undefined) {
      if (this.fs.readStamped) {
        const { text, stamp } = this.fs.readStamped(this.absPath);
        this.text = text;
        // A stamp taken before the read can only be older than the text: a later edit shows as a newer time.
        this.stamp ??= stamp;
      } else this.text = this.fs.read(this.absPath);
    }
    return this.text;
  }

  /** Whether the text has been read (or given) already: reading it now would cost a system call or four. */
  isLoaded(): boolean {
    return this.text !== undefined;
  }

  /** Whether the checksum is known without reading the file (a snapshot vouched for it, or it was read). */
  knowsChecksum(): boolean {
    return this.sum !== undefined;
  }

  get checksum(): string {
    if (this.sum === undefined && this.pending) this.pending.prefetch.waitFor(this.pending.index);
    this.sum ??= hexDigest('sha256', this.contents);
    return this.sum;
  }

  /**
   * The file's stamp: taken when it was read, or now. One taken now, after reading, misses an edit between the
   * read and this call, but such a file's time is later than the parse's start: the snapshot checks it by hash.
   */
  currentStamp(): FileStamp | undefined {
    if (this.stamp === undefined && this.pending) this.pending.prefetch.waitFor(this.pending.index);
    this.stamp ??= this.fs.stat?.(this.absPath);
    return this.stamp;
  }

  /** The file as another thread read it: its text, the stamp taken just before, and its sha256. */
  provide(text: string, stamp: FileStamp, checksum: string): void {
    this.text ??= text;
    this.stamp ??= stamp;
    this.sum ??= checksum;
  }

  /** Whether the text is read from the local disk (and so can be read by another thread). */
  get onDisk(): boolean {
    return this.fs.readStamped === readStamped;
  }

  /** Marks the file as known: same stamp as when `checksum` was computed, so it need not be read to be hashed. */
  vouch(stamp: FileStamp, checksum: string): void {
    this.stamp = stamp;
    this.sum = checksum;
  }
}
