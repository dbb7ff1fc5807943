import type { ManifestNode } from '../parse/types.js';

/** What a warehouse error may carry (BigQueryJobError does): the statement sent and a 1-based position in it. */
interface PositionedError {
  message: string;
  sql?: string;
  line?: number;
  column?: number;
  describe?: () => string;
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
    if (at >= 0) {
      const before = err.sql.slice(0, at).split('\n').length - 1;
      const line = err.line - before;
      if (line >= 1 && line <= compiledSql.split('\n').length) text += `\n  at ${compiledPath}:${line}:${err.column ?? 1} (compiled SQL of ${node.originalFilePath})`;
    }
  }
  return text;
}
