import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { EncodedGraph } from './snapshot-codec.js';

/**
 * The body file: the byte length of the graph's JSON (12 digits) and a newline, the graph's JSON (with the
 * byte length of each node's JSON), then the nodes' JSON texts back to back. The graph is read at once; the
 * nodes' part when a node is first read, through the descriptor opened now, so a snapshot written meanwhile
 * by another command (a new file renamed over this one) cannot mix in. A body whose lengths do not add up
 * to its size (cut short, or of another format) is void.
 */
type BodyGraph = EncodedGraph & { id: string; lengths: number[] };
const LENGTH_DIGITS = 12;

/** Closes the descriptor of a body whose nodes were never read, once its graph is garbage. */
const unreadBodies = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    /* already closed */
  }
});

export function readBody(path: string): { graph: BodyGraph; nodeText: (index: number) => string } | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    const prefix = Buffer.alloc(LENGTH_DIGITS + 1);
    if (readSync(fd, prefix, 0, prefix.length, 0) !== prefix.length || prefix[LENGTH_DIGITS] !== 10) throw new Error('not a body');
    const headBytes = Number(prefix.toString('latin1', 0, LENGTH_DIGITS));
    const head = Buffer.allocUnsafe(headBytes);
    if (!Number.isSafeInteger(headBytes) || readSync(fd, head, 0, headBytes, prefix.length) !== headBytes) throw new Error('cut short');
    const graph = JSON.parse(head.toString('utf8')) as BodyGraph;
    const nodesAt = prefix.length + headBytes;
    const starts = new Array<number>(graph.lengths.length + 1);
    starts[0] = 0;
    for (let i = 0; i < graph.lengths.length; i++) starts[i + 1] = starts[i]! + graph.lengths[i]!;
    if (nodesAt + starts[graph.lengths.length]! !== size || graph.lengths.length !== graph.ids.length - graph.sourceCount) throw new Error('lengths do not add up');
    const open = fd;
    fd = undefined;
    let nodes: Buffer | undefined;
    const token = {};
    const nodeText = (i: number): string => {
      if (!nodes) {
        nodes = Buffer.allocUnsafe(size - nodesAt);
        try {
          if (readSync(open, nodes, 0, nodes.length, nodesAt) !== nodes.length) throw new Error(`${path} was cut short while in use`);
        } finally {
          unreadBodies.unregister(token);
          closeSync(open);
        }
      }
      return nodes.toString('utf8', starts[i], starts[i + 1]);
    };
    unreadBodies.register(nodeText, open, token);
    return { graph, nodeText };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Each text scrubbed on its own, so the lengths stored are those of the text written. */
export function bodyText(id: string, encoded: { graph: EncodedGraph; nodes: string[] }, scrub: (text: string) => string): string {
  const nodes = encoded.nodes.map(scrub);
  const lengths = nodes.map((t) => Buffer.byteLength(t));
  const head = scrub(JSON.stringify({ id, ...encoded.graph, lengths }));
  return `${String(Buffer.byteLength(head)).padStart(LENGTH_DIGITS, '0')}\n${head}${nodes.join('')}`;
}
