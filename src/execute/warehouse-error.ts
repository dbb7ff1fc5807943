import type { ManifestNode } from '../parse/types.js';

/** What a warehouse error may carry (BigQueryJobError does): the statement sent and a 1-based position in it. */
interface PositionedError {
  message: string;
  sql?: string;
  line?: number;
  column?: number;
  describe?: () => string;
  /** The message without the warehouse's own excerpt of the statement (DuckDB's `LINE n:`), used once the position is mapped. */
  brief?: () => string;
}

/**
 * A warehouse error as one line for the node, with the position mapped from the submitted statement
 * (which wraps the model in DDL) back to the model's compiled SQL file.
 */
export function describeWarehouseError(e: unknown, node: ManifestNode, compiledSql: string | undefined, compiledPath: string): string | undefined {
  const err = e as PositionedError;
  if (!err || typeof err !== 'object' || typeof err.describe !== 'function') return undefined;
  let text = err.describe();
  if (err.sql && err.line && compiledSql) {
    const at = err.sql.indexOf(compiledSql);
    const line = at >= 0 ? err.line - (err.sql.slice(0, at).split('\n').length - 1) : 0;
    if (line >= 1 && line <= compiledSql.split('\n').length) {
      // On the compiled SQL's first line, the statement's column counts the wrapper's text before it too.
      const column = Math.max(1, (err.column ?? 1) - (line === 1 ? at - (err.sql.lastIndexOf('\n', at - 1) + 1) : 0));
      const source = sourcePosition(node.rawCode, compiledSql.split('\n')[line - 1]!, column);
      // A warehouse that gave the line but no reliable column (DuckDB's caret on a line with tabs or non-ASCII text): the line alone.
      const col = (c: number): string => (err.column === undefined ? '' : `:${c}`);
      text = `${err.brief?.() ?? text}\n  at ${compiledPath}:${line}${col(column)} (compiled SQL of ${node.originalFilePath}${source ? `, from ${node.originalFilePath}:${source.line}${col(source.column)}` : ''})`;
    }
    else {
      // A statement around the model (a MERGE) refused a column's value: point at where the model makes that column.
      const column = /cannot be assigned to `?(\w+)`?/.exec(err.message)?.[1];
      const found = column ? columnLine(compiledSql, column) : undefined;
      if (found) text += `\n  at ${compiledPath}:${found.line}:${found.column} (column ${column} in the compiled SQL of ${node.originalFilePath})`;
    }
  }
  return text;
}

/**
 * Where a compiled line comes from in the model's own file: the one line of the file holding the compiled
 * line's text, or else its text up to the end of the word at the error (Jinja changes line numbers, and
 * rewrites `{{ ref(…) }}`, not the plain SQL around them). Undefined when no line, or more than one, does.
 */
export function sourcePosition(rawCode: string | undefined, compiledLine: string, column: number): { line: number; column: number } | undefined {
  if (!rawCode) return undefined;
  const indent = compiledLine.length - compiledLine.trimStart().length;
  const word = /^[\w`.]*/.exec(compiledLine.slice(column - 1))![0];
  const lines = rawCode.split('\n');
  const candidates: [string, number][] = [[compiledLine.trim(), 3], [compiledLine.slice(indent, Math.max(indent, column - 1 + word.length)).trim(), 6]];
  for (const [text, shortest] of candidates) {
    if (text.length < shortest) continue;
    const hits = lines.map((l, i) => ({ i, at: l.indexOf(text) })).filter((h) => h.at >= 0);
    if (hits.length === 1) return { line: hits[0]!.i + 1, column: Math.max(1, hits[0]!.at + column - indent) };
  }
  return undefined;
}

/** The last place the compiled SQL names `column` as an output (`… as column`, or the bare name): 1-based line and column. */
function columnLine(sql: string, column: string): { line: number; column: number } | undefined {
  const lines = sql.split('\n');
  const alias = new RegExp(`\\bas\\s+\`?${column}\`?\\b`, 'i');
  const bare = new RegExp(`\\b${column}\\b`, 'i');
  for (const re of [alias, bare]) {
    for (let i = lines.length - 1; i >= 0; i--) {
      const m = re.exec(lines[i]!);
      if (m) return { line: i + 1, column: m.index + m[0].toLowerCase().lastIndexOf(column.toLowerCase()) + 1 };
    }
  }
  return undefined;
}
