/** Where a project hook is written, for its failure's diagnostic (read only when a hook fails). */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parseYamlFile } from '../project/yaml-file.js';

/**
 * The 1-based line of hook `index` of `which` in a project file (`file` relative to `root`, or absolute for an
 * installed package's): its list entry, or the key itself when the hooks are one string. Undefined when the file
 * cannot be read again.
 */
export function hookLine(root: string, file: string, which: string, index: number): number | undefined {
  let text: string;
  try {
    text = readFileSync(isAbsolute(file) ? file : join(root, file), 'utf8');
  } catch {
    return undefined;
  }
  const yaml = parseYamlFile(file, text).file;
  if (!yaml) return undefined;
  const hooks = (yaml.value as Record<string, unknown> | null)?.[which];
  return (Array.isArray(hooks) ? yaml.lineOf([which, index]) : undefined) ?? yaml.lineOf([which]);
}
