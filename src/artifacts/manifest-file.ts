import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, openSync, readFileSync, readSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretScrubber } from '../diagnostics/index.js';
import { replaceFile } from '../project/index.js';
import { manifestArtifact, manifestMetadata, type ManifestArtifactInput } from './manifest-writer.js';
import { jsonArtifactText } from './write-artifact.js';

/**
 * What the last `manifest.json` was written from, beside it: when the next command has the same graph (the
 * same graph snapshot, whose key covers config, vars, target, adapter and Strata's build) and compiled the
 * same SQL, only the metadata at the head of the file differs, so the rest of the file is kept and only the
 * head rewritten. At 10,000 models that is ~25 MB of JSON, about half a second to build and write, on every command.
 */
const SIDECAR = 'manifest.strata.json';
const HEAD = '{"metadata":';

interface Sidecar {
  /** The graph's id and a digest of the compiled SQL the file holds. */
  key: string;
  size: number;
  mtimeMs: number;
  /** Bytes of the file before its second top-level key: `{"metadata":{…}`. */
  headBytes: number;
}

export interface ManifestFileInput extends ManifestArtifactInput {
  /** Identity of the graph (the snapshot body it was read from or stored as); none: always written in full. */
  graphId?: string;
  scrubber: SecretScrubber;
}

/** Writes `target/manifest.json` atomically, scrubbed; reuses the previous file's body when the graph is the same. */
export function writeManifestFile(targetDir: string, input: ManifestFileInput): 'reused' | 'written' {
  const path = join(targetDir, 'manifest.json');
  // The selectors (selectors.yml) are read on every command, not part of the graph: their text joins the key.
  const key = input.graphId ? `${input.graphId}:${compiledDigest(input)}:${createHash('sha1').update(JSON.stringify(input.selectors ?? [])).digest('hex')}` : undefined;
  if (key) {
    const head = HEAD + JSON.stringify(manifestMetadata({ invocationId: input.invocationId, projectName: input.manifest.projectName, adapterType: input.manifest.adapterType, env: input.env }));
    if (input.scrubber.scrub(head) === head && reuseBody(targetDir, path, key, Buffer.from(head), input.scrubber)) return 'reused';
  }
  const artifact = manifestArtifact(input);
  const text = input.scrubber.scrub(jsonArtifactText(artifact));
  replaceFile(path, text);
  // The body is reusable when the head is where it should be (a secret in it would have changed its length).
  // A reused body keeps the masks of this write: a value that stops being a secret stays masked until the graph changes.
  const head = HEAD + JSON.stringify(artifact.metadata);
  const reusable = key !== undefined && text.startsWith(head) && text[head.length] === ',';
  saveSidecar(targetDir, path, reusable ? key : undefined, Buffer.byteLength(head));
  return 'written';
}

/** Writes the new head before the previous file's body, if the sidecar vouches for that body. */
function reuseBody(targetDir: string, path: string, key: string, head: Buffer, scrubber: SecretScrubber): boolean {
  let sidecar: Sidecar;
  try {
    sidecar = JSON.parse(readFileSync(join(targetDir, SIDECAR), 'utf8')) as Sidecar;
    const st = statSync(path);
    // Changed by someone else since (same rule as the graph snapshot: size and modification time).
    if (sidecar.key !== key || st.size !== sidecar.size || st.mtimeMs !== sidecar.mtimeMs) return false;
    if (byteAt(path, sidecar.headBytes) !== ','.charCodeAt(0)) return false;
  } catch {
    return false;
  }
  if (scrubber.size > 0 || head.length !== sidecar.headBytes) {
    const old = readFileSync(path);
    // A secret added since (a new profile password, say) must not stay in the file: then it is built afresh.
    if (scrubber.occursIn(old, sidecar.headBytes)) return false;
    replaceFile(path, Buffer.concat([head, old.subarray(sidecar.headBytes)]));
  } else {
    // The usual case: a head of the same length over a copy made by the kernel.
    replaceFile(path, (tmp) => {
      copyFileSync(path, tmp);
      const fd = openSync(tmp, 'r+');
      try {
        writeSync(fd, head, 0, head.length, 0);
      } finally {
        closeSync(fd);
      }
    });
  }
  saveSidecar(targetDir, path, key, head.length);
  return true;
}

function byteAt(path: string, offset: number): number | undefined {
  const fd = openSync(path, 'r');
  try {
    const one = Buffer.alloc(1);
    return readSync(fd, one, 0, 1, offset) === 1 ? one[0] : undefined;
  } finally {
    closeSync(fd);
  }
}

/** The compiled SQL of the nodes this command compiled: part of manifest.json (compiled_code, compiled_path). */
function compiledDigest(input: ManifestArtifactInput): string {
  const h = createHash('sha1');
  for (const n of Object.values(input.manifest.nodes)) {
    if (n.compiledCode === undefined) continue;
    h.update(n.uniqueId).update('\0').update(n.compiledPath ?? '').update('\0').update(n.compiledCode).update('\0');
  }
  return h.digest('hex');
}

function saveSidecar(targetDir: string, path: string, key: string | undefined, headBytes: number): void {
  const sidecarPath = join(targetDir, SIDECAR);
  try {
    if (!key) {
      writeFileSync(sidecarPath, '{}');
      return;
    }
    const st = statSync(path);
    writeFileSync(sidecarPath, JSON.stringify({ key, size: st.size, mtimeMs: st.mtimeMs, headBytes } satisfies Sidecar));
  } catch {
    // Without the sidecar the next command writes the whole file again: slower, never wrong.
  }
}
