import { replaceFile } from '../project/index.js';
import type { SecretScrubber } from '../diagnostics/index.js';

/**
 * Writes JSON atomically (temp file + rename) so a reader never sees half an artifact,
 * and passes the text through the scrubber so no secret reaches disk.
 */
export function writeJsonArtifact(path: string, value: unknown, scrubber?: SecretScrubber): void {
  const text = jsonArtifactText(value);
  replaceFile(path, scrubber ? scrubber.scrub(text) : text);
}

/** An artifact as JSON text (BigInt values as numbers). */
export function jsonArtifactText(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
}
