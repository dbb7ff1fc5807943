/**
 * Ephemeral models are inlined as CTEs named `__dbt__cte__<name>`, the way dbt does:
 * merged into a leading WITH when the statement has one, else prepended.
 */
export interface Cte {
  id: string;
  name: string;
  sql: string;
}

/** Offset of the first token after leading whitespace and comments. */
function firstTokenOffset(sql: string): number {
  let i = 0;
  for (;;) {
    while (i < sql.length && /\s/.test(sql[i]!)) i++;
    if (sql.startsWith('--', i)) {
      const nl = sql.indexOf('\n', i);
      i = nl === -1 ? sql.length : nl + 1;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else {
      return i;
    }
  }
}

export function injectCtes(sql: string, ctes: Cte[]): string {
  if (ctes.length === 0) return sql;
  const body = ctes.map((c) => `${c.name} as (\n${c.sql.trim()}\n)`).join(', ');
  const at = firstTokenOffset(sql);
  const head = sql.slice(at, at + 15);
  const withRecursive = /^with\s+recursive\b/i.exec(head);
  if (withRecursive) {
    const after = at + withRecursive[0].length;
    return `${sql.slice(0, at)}with recursive ${body}, ${sql.slice(after).trimStart()}`;
  }
  if (/^with\b/i.test(head)) {
    return `${sql.slice(0, at)}with ${body}, ${sql.slice(at + 4).trimStart()}`;
  }
  return `${sql.slice(0, at)}with ${body}\n${sql.slice(at)}`;
}
