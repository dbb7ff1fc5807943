import { createHash } from 'node:crypto';

/** A short digest of a var's value (any YAML value): enough to notice a change. */
export function varDigest(value: unknown): string | null {
  return value === undefined ? null : createHash('sha256').update(JSON.stringify(value) ?? 'undefined').digest('hex').slice(0, 16);
}

/** A short digest of an env value: enough to notice a change, without writing the value anywhere. */
export function envDigest(value: string | undefined): string | null {
  return value === undefined ? null : createHash('sha256').update(value).digest('hex').slice(0, 16);
}
