/**
 * A dict's key order. A dict is a plain object, and JavaScript lists an object's integer-like keys ('2', '2024')
 * before the others, in numeric order, where Python keeps the order the keys were added in. So a dict that is
 * given such a key remembers its keys' order under a symbol (other dicts, most of them, carry nothing and cost
 * nothing more). Code that writes an object's properties directly is reconciled when the keys are read: a key
 * deleted is left out, a key added is put last.
 */
const ORDER = Symbol('strata.jinja.dict-order');
type Ordered = Record<string, unknown> & { [ORDER]?: string[] };

/** Whether JavaScript may list this property before the others (an array index; longer numbers are harmless). */
function indexLike(k: string): boolean {
  const c = k.charCodeAt(0);
  return c >= 48 && c <= 57 && /^(?:0|[1-9]\d*)$/.test(k);
}

/** Call before `d[k] = …`: a new key goes last. */
export function noteKey(d: Record<string, unknown>, k: string): void {
  const order = (d as Ordered)[ORDER];
  if (order) {
    if (!Object.prototype.hasOwnProperty.call(d, k)) order.push(k);
  } else if (indexLike(k) && !Object.prototype.hasOwnProperty.call(d, k)) {
    Object.defineProperty(d, ORDER, { value: [...Object.keys(d), k], enumerable: false, configurable: true, writable: true });
  }
}

/** `del d[k]`. */
export function deleteKey(d: Record<string, unknown>, k: string): void {
  delete d[k];
  const order = (d as Ordered)[ORDER];
  if (order) {
    const i = order.indexOf(k);
    if (i >= 0) order.splice(i, 1);
  }
}

/** The object's own keys in the order they were added (as far as it was told): a new array. */
export function orderedKeys(d: Record<string, unknown>): string[] {
  const order = (d as Ordered)[ORDER];
  if (!order) return Object.keys(d);
  const keys = Object.keys(d);
  const kept = order.filter((k) => Object.prototype.hasOwnProperty.call(d, k));
  if (kept.length !== keys.length) {
    const known = new Set(kept);
    for (const k of keys) if (!known.has(k)) kept.push(k);
  }
  (d as Ordered)[ORDER] = kept;
  return kept.slice();
}
