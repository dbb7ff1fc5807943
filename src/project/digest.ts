import * as crypto from 'node:crypto';

/**
 * Hex digest of a string or bytes. `crypto.hash` (Node 20.12+) hashes in one call without a Hash object:
 * several times faster for the small inputs a parse hashes by the ten thousand (files, test names, SQL).
 */
export const hexDigest: (algorithm: 'sha256' | 'sha1' | 'md5', data: string | Uint8Array) => string =
  typeof crypto.hash === 'function' ? (algorithm, data) => crypto.hash(algorithm, data, 'hex') : (algorithm, data) => crypto.createHash(algorithm).update(data).digest('hex');
