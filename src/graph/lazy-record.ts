/**
 * A record whose values are built on first read, for the nodes of a graph snapshot: a warm parse is
 * graph-ready without decoding 12,000 nodes, and a command pays for the nodes it reads. Keys, their order,
 * `in`, `Object.keys/values/entries`, spreading, JSON.stringify, assignment and delete behave as on a plain
 * record; a value is built once and then kept. Not for `structuredClone` (a Proxy cannot be cloned), nor
 * for `Object.getOwnPropertyDescriptor` (see below).
 */
export function lazyRecord<T extends object>(keys: readonly string[], build: (index: number) => T): Record<string, T> {
  // Until it is read, a key holds the index of its value (values are objects, so a number means "not yet").
  const target: Record<string, T | number> = {};
  for (let i = 0; i < keys.length; i++) target[keys[i]!] = i;
  return new Proxy(target, {
    get(t, key, receiver) {
      const v = Reflect.get(t, key, receiver) as unknown;
      if (typeof v !== 'number' || typeof key !== 'string') return v;
      const built = build(v);
      t[key] = built;
      return built;
    },
    // No getOwnPropertyDescriptor trap: Object.keys and spreading ask it for every key, which would build
    // every value. Object.getOwnPropertyDescriptor(record, key).value is therefore the placeholder index.
  }) as Record<string, T>;
}
