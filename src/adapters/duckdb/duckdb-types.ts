/** DuckDB type names as `describe` prints them, read into a tree and written back. */
export type DuckType =
  | { kind: 'scalar'; name: string }
  | { kind: 'struct'; fields: { name: string; type: DuckType }[] }
  | { kind: 'list'; of: DuckType }
  | { kind: 'array'; of: DuckType; size: string }
  | { kind: 'map'; key: DuckType; value: DuckType };

/** Reads one type name: `STRUCT(id BIGINT, "a b" VARCHAR)[]`, `MAP(VARCHAR, BIGINT)`, `DECIMAL(18,3)`, `TIMESTAMP WITH TIME ZONE`. */
export function parseDuckType(text: string): DuckType {
  const p = { s: text.trim(), i: 0 };
  const t = readType(p);
  if (p.i < p.s.length) return { kind: 'scalar', name: p.s };
  return t;
}

interface Cursor { s: string; i: number }

const skipSpace = (p: Cursor): void => {
  while (p.s[p.i] === ' ') p.i++;
};

/** Up to the next `,` `)` or `[` outside parentheses and quotes (a scalar's name, with its own parentheses). */
function readScalar(p: Cursor): string {
  const start = p.i;
  let depth = 0;
  while (p.i < p.s.length) {
    const ch = p.s[p.i]!;
    if (ch === "'" || ch === '"') {
      const end = p.s.indexOf(ch, p.i + 1);
      p.i = end < 0 ? p.s.length : end + 1;
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')') {
      if (depth === 0) break;
      depth--;
    } else if ((ch === ',' || ch === '[') && depth === 0) break;
    p.i++;
  }
  return p.s.slice(start, p.i).trim();
}

/** A struct field's name: `"quoted ""name"""` or a bare word. */
function readName(p: Cursor): string {
  skipSpace(p);
  if (p.s[p.i] !== '"') {
    const start = p.i;
    while (p.i < p.s.length && p.s[p.i] !== ' ') p.i++;
    return p.s.slice(start, p.i);
  }
  let name = '';
  p.i++;
  while (p.i < p.s.length) {
    if (p.s[p.i] === '"' && p.s[p.i + 1] === '"') {
      name += '"';
      p.i += 2;
    } else if (p.s[p.i] === '"') {
      p.i++;
      break;
    } else name += p.s[p.i++];
  }
  return name;
}

function readType(p: Cursor): DuckType {
  skipSpace(p);
  const rest = p.s.slice(p.i);
  let t: DuckType;
  if (/^STRUCT\s*\(/i.test(rest)) {
    p.i = p.s.indexOf('(', p.i) + 1;
    const fields: { name: string; type: DuckType }[] = [];
    while (p.i < p.s.length && p.s[p.i] !== ')') {
      const name = readName(p);
      fields.push({ name, type: readType(p) });
      skipSpace(p);
      if (p.s[p.i] === ',') p.i++;
    }
    p.i++;
    t = { kind: 'struct', fields };
  } else if (/^MAP\s*\(/i.test(rest)) {
    p.i = p.s.indexOf('(', p.i) + 1;
    const key = readType(p);
    skipSpace(p);
    p.i++;
    const value = readType(p);
    skipSpace(p);
    p.i++;
    t = { kind: 'map', key, value };
  } else t = { kind: 'scalar', name: readScalar(p) };
  skipSpace(p);
  while (p.s[p.i] === '[') {
    const end = p.s.indexOf(']', p.i);
    const size = p.s.slice(p.i + 1, end).trim();
    t = size ? { kind: 'array', of: t, size } : { kind: 'list', of: t };
    p.i = end + 1;
    skipSpace(p);
  }
  return t;
}

const quoteField = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The type's name as DuckDB reads it (struct field names quoted). */
export function renderDuckType(t: DuckType): string {
  switch (t.kind) {
    case 'scalar': return t.name;
    case 'struct': return `STRUCT(${t.fields.map((f) => `${quoteField(f.name)} ${renderDuckType(f.type)}`).join(', ')})`;
    case 'list': return `${renderDuckType(t.of)}[]`;
    case 'array': return `${renderDuckType(t.of)}[${t.size}]`;
    case 'map': return `MAP(${renderDuckType(t.key)}, ${renderDuckType(t.value)})`;
  }
}
