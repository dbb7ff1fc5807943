import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import type { FileSource } from './types.js';
import { parseYamlFile } from './yaml-file.js';
import { selectorsSchemaDiagnostics } from './selectors-schema.js';

/** One named selector of `selectors.yml`, its definition as written (evaluated by select/). */
export interface SelectorDefinition {
  name: string;
  description: string;
  default: boolean;
  definition: unknown;
  line?: number;
}

/** dbt's `selectors.yml` at the project root, if there is one: a list of `{name, definition}`, checked. */
export function readSelectorsFile(root: string, fs: FileSource): { selectors: SelectorDefinition[]; diagnostics: Diagnostic[] } {
  const path = 'selectors.yml';
  if (!fs.exists(join(root, path))) return { selectors: [], diagnostics: [] };
  const parsed = parseYamlFile(path, fs.read(join(root, path)));
  if (!parsed.file) return { selectors: [], diagnostics: parsed.diagnostics };
  const yaml = parsed.file;
  const diagnostics: Diagnostic[] = [];
  const invalid = (key: (string | number)[], message: string, hint: string): void => {
    diagnostics.push({ code: 'selectors-invalid', severity: 'error', message, file: path, line: yaml.lineOf(key) ?? 1, hint });
  };
  diagnostics.push(...selectorsSchemaDiagnostics(yaml));
  const list = (yaml.value as { selectors?: unknown } | null)?.selectors;
  if (!Array.isArray(list)) {
    invalid([], 'selectors.yml must have a selectors: list', 'write selectors:\n  - name: nightly\n    definition: tag:nightly');
    return { selectors: [], diagnostics };
  }
  const selectors: SelectorDefinition[] = [];
  list.forEach((raw, i) => {
    const s = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
    if (!s || typeof s.name !== 'string' || !s.name) return invalid(['selectors', i], 'each selector needs a name', 'add name: nightly');
    if (s.definition === undefined || s.definition === null) return invalid(['selectors', i], `selector '${s.name}' has no definition`, "add definition: 'tag:nightly' (or method/value, union, intersection)");
    if (selectors.some((x) => x.name === s.name)) return invalid(['selectors', i], `selector '${s.name}' is defined twice`, 'rename one');
    selectors.push({ name: s.name, description: String(s.description ?? ''), default: s.default === true, definition: s.definition, line: yaml.lineOf(['selectors', i]) });
  });
  const defaults = selectors.filter((s) => s.default);
  if (defaults.length > 1) invalid(['selectors'], `more than one selector is the default: ${defaults.map((s) => s.name).join(', ')}`, 'keep default: true on one');
  return { selectors, diagnostics };
}
