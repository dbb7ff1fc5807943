/**
 * A model's hook as dbt reads it. A hook is SQL text, run inside the model's transaction; a hook written as
 * `{sql: …, transaction: false}` (or made by dbt's `before_begin()` / `after_commit()`, which return that
 * mapping as JSON text) runs outside it: a pre-hook before the transaction begins, a post-hook after it commits.
 * Configs keep each hook as one string (the JSON text for an outside one, as dbt's own macros write it), so a
 * hook list stays a `string[]` everywhere; `hookOf` reads it back, as dbt's `get_hook_dict` does.
 */
export interface Hook {
  sql: string;
  /** False: run outside the model's transaction (dbt's `before_begin` / `after_commit`). */
  transaction: boolean;
}

/** A hook as configured (text, or a `{sql, transaction}` mapping) as the one string a config keeps. */
export function hookText(h: unknown): string {
  if (!h || typeof h !== 'object' || !('sql' in h)) return String(h);
  const { sql, transaction } = h as { sql: unknown; transaction?: unknown };
  return transaction === false ? JSON.stringify({ sql: String(sql), transaction: false }) : String(sql);
}

/** A configured hook's SQL and whether it runs inside the transaction: JSON text of a mapping with `sql` is that mapping. */
export function hookOf(text: string): Hook {
  const t = text.trim();
  if (t.startsWith('{"') && t.endsWith('}')) {
    try {
      const parsed = JSON.parse(t) as unknown;
      if (parsed && typeof parsed === 'object' && typeof (parsed as Hook).sql === 'string') return { sql: (parsed as Hook).sql, transaction: (parsed as Hook).transaction !== false };
    } catch {
      // Not JSON: SQL (or Jinja) that happens to start with `{"`.
    }
  }
  return { sql: text, transaction: true };
}
