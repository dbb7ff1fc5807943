import type { ProjectFile } from '../project/types.js';

/** The file a node's `rawCode` comes from, while it still does. A symbol: not enumerable in JSON or Object.keys. */
const RAW_FILE = Symbol('rawCodeFile');

type WithFile = { [RAW_FILE]?: ProjectFile };

// One descriptor shared by every node (no closure per node): nodes keep one hidden class in V8.
const fromFileDescriptor: PropertyDescriptor = {
  get(this: WithFile) {
    return this[RAW_FILE]!.contents;
  },
  set(this: WithFile, value: string) {
    delete this[RAW_FILE];
    Object.defineProperty(this, 'rawCode', { value, writable: true, enumerable: true, configurable: true });
  },
  enumerable: true,
  configurable: true,
};

/**
 * Gives `node` a `rawCode` that is the text of its file, read on first use: a parse that takes renders from
 * the cache, or the graph snapshot, then never reads unchanged model files. Setting `rawCode` replaces it.
 */
export function rawCodeFromFile<T extends object>(node: T, file: ProjectFile): T & { rawCode: string } {
  Object.defineProperty(node, 'rawCode', fromFileDescriptor);
  (node as WithFile)[RAW_FILE] = file;
  return node as T & { rawCode: string };
}

/** Whether `node.rawCode` is still its file's text (so a snapshot need not store it). */
export function isRawCodeFromFile(node: object): boolean {
  return (node as WithFile)[RAW_FILE] !== undefined;
}
