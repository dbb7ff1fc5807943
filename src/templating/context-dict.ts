/**
 * dbt's `context`: the names of one render as a dict. dbt-unit-testing keeps its per-render state in it
 * (`context.update({"__DUT_CACHE__": cache})`, then `context.get("__DUT_CACHE__", {})` in another macro).
 * Keys a template adds live in the dict for the rest of the render; any other key reads through to the
 * render's names (`context['ref']`, `context.get('dbt_utils')`), as dbt's context dict holds them.
 */
export function contextDict(names: Record<string, unknown>): Record<string, unknown> {
  const added: Record<string, unknown> = {};
  const readsThrough = (k: string | symbol): k is string => typeof k === 'string' && !Object.hasOwn(added, k) && !(k in Object.prototype) && k in names;
  return new Proxy(added, {
    get: (target, k) => (readsThrough(k) ? names[k] : Reflect.get(target, k)),
    has: (target, k) => readsThrough(k) || Reflect.has(target, k),
    getOwnPropertyDescriptor: (target, k) => (readsThrough(k) ? { value: names[k], writable: true, enumerable: false, configurable: true } : Reflect.getOwnPropertyDescriptor(target, k)),
  });
}
