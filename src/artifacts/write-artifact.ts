import { mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SecretScrubber } from '../diagnostics/index.js';

/**
 * Writes JSON atomically (temp file + rename) so a reader never sees half an artifact,
 * and passes the text through the scrubber so no secret reaches disk.
 */
export function writeJsonArtifact(path: string, value: unknown, scrubber?: SecretScrubber): void {
  mkdirSync(dirname(path), { recursive: true });
  let text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
  if (scrubber) text = scrubber.scrub(text);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
