/**
 * Names in `localeCompare` order (ICU's root collation, as `a.localeCompare(b)` sorts them) without asking ICU when
 * both names are made of lowercase letters, digits and `_ - . /` (test names, landed files' keys): the first
 * `localeCompare` of a process creates ICU's collator, which costs every daily run and Airflow task 20–50 ms.
 * For those characters the collation is their order one by one, in ORDER below, a shorter name before a longer
 * one that starts with it; any other character (an uppercase letter, a space, an accent) goes to `localeCompare`.
 */
const ORDER = '_-./0123456789abcdefghijklmnopqrstuvwxyz';
const RANK = new Int8Array(128).fill(-1);
for (let i = 0; i < ORDER.length; i++) RANK[ORDER.charCodeAt(i)] = i;

function plain(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || RANK[c] === -1) return false;
  }
  return true;
}

/** Negative, zero or positive as `a.localeCompare(b)` is. */
export function compareNames(a: string, b: string): number {
  if (!plain(a) || !plain(b)) return a.localeCompare(b);
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return RANK[x]! - RANK[y]!;
  }
  return a.length - b.length;
}
