/** Where a node's hook is written, for a diagnostic about it (read only when one is reported). */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { ManifestNode } from '../parse/types.js';
import type { HookSiteOf } from '../materializations/index.js';
import { hookOf } from '../project/index.js';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The 1-based line of `file` where the hook's text starts (after a quote, or as a YAML value), else where it appears at all. */
function lineOf(root: string, file: string, first: string): { exact?: number; loose?: number } {
  let lines: string[];
  try {
    lines = readFileSync(isAbsolute(file) ? file : join(root, file), 'utf8').split('\n');
  } catch {
    return {};
  }
  const start = new RegExp(`(["']|:\\s|-\\s)\\s*${escape(first)}`);
  const exact = lines.findIndex((l) => start.test(l));
  const loose = lines.findIndex((l) => l.includes(first));
  return { ...(exact >= 0 ? { exact: exact + 1 } : {}), ...(loose >= 0 ? { loose: loose + 1 } : {}) };
}

/**
 * A node's hook is its model file's (`config(post_hook=…)`), its property file's or the project file's
 * (`models: +post-hook:`, applied to every model of a folder): the first of these whose text holds the
 * hook's first line where a value starts, else that holds it at all. Undefined when none does.
 */
export function hookSiteOf(root: string, projectFile: string, node: ManifestNode): HookSiteOf {
  return (place, index) => {
    const text = (place === 'pre-hook' ? node.config.pre_hook : node.config.post_hook)?.[index];
    const first = text === undefined ? undefined : hookOf(text).sql.split('\n').map((l) => l.trim()).find(Boolean);
    if (!first) return undefined;
    const files = [node.originalFilePath, node.patchPath, projectFile].filter((f): f is string => !!f);
    const found = files.map((file) => ({ file, ...lineOf(root, file, first) }));
    const exact = found.find((f) => f.exact);
    if (exact) return { file: exact.file, line: exact.exact };
    const loose = found.find((f) => f.loose);
    return loose ? { file: loose.file, line: loose.loose } : undefined;
  };
}
