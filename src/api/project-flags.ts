/**
 * The project file's `flags:` mapping, read before a command starts (the CLI's global configs need it before its
 * output begins, and before the project itself is loaded).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseYamlFile } from '../project/yaml-file.js';

/** The project file's `flags:` mapping, if the file can be read (its mistakes are reported when the project loads). */
export function projectFlags(projectDir: string | undefined): Record<string, unknown> {
  const root = resolve(projectDir ?? '.');
  const file = ['project.yml', 'dbt_project.yml'].find((f) => existsSync(join(root, f)));
  if (!file) return {};
  try {
    const text = readFileSync(join(root, file), 'utf8');
    // Most project files have no flags: read as text, the YAML is parsed only when it may hold them.
    if (!/^flags\s*:/m.test(text)) return {};
    const value = parseYamlFile(file, text).file?.value as Record<string, unknown> | undefined;
    const flags = value?.flags;
    return flags && typeof flags === 'object' && !Array.isArray(flags) ? (flags as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
