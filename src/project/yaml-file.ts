import { parseDocument, LineCounter, isMap, isSeq, isScalar, type Node as YamlNode, type Document } from 'yaml';
import type { Diagnostic } from '../diagnostics/index.js';

/** A parsed YAML file that can tell where each value was written. */
export interface YamlFile {
  path: string;
  value: unknown;
  /** 1-based line of the node at a key path, e.g. ['models', 0, 'columns']. */
  lineOf(path: (string | number)[]): number | undefined;
}

/** Parses YAML, reporting syntax errors as diagnostics with file, line and column. */
export function parseYamlFile(path: string, text: string): { file?: YamlFile; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length) {
    return {
      diagnostics: doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return {
          code: 'yaml-syntax-error',
          severity: 'error' as const,
          message: `invalid YAML: ${e.message.split('\n')[0]}`,
          file: path,
          line: pos?.line,
          column: pos?.col,
          hint: 'check indentation and that brackets and quotes are closed',
        };
      }),
    };
  }
  const lineOf = (keyPath: (string | number)[]): number | undefined => {
    const node = doc.getIn(keyPath, true) as YamlNode | undefined;
    const range = node && (isMap(node) || isSeq(node) || isScalar(node)) ? node.range : undefined;
    if (!range) return undefined;
    return lineCounter.linePos(range[0]).line;
  };
  return { file: { path, value: doc.toJS() ?? {}, lineOf }, diagnostics: [] };
}
