/**
 * A node's `group:` config names a group some property file defines under `groups:` (dbt: "Invalid group
 * 'x', expected one of ['a', 'b']"). One pass over the nodes that set a group, after all are parsed.
 */
import { didYouMean, type Diagnostic } from '../diagnostics/index.js';

/** 1-based line of the first match in a text, else 1. */
const lineIn = (text: string, re: RegExp): number => {
  const m = re.exec(text);
  return m ? text.slice(0, m.index).split('\n').length : 1;
};

/** A node that sets `group:`, and where that config is written. */
export interface GroupUse {
  group: unknown;
  node: string;
  file: string;
  line?: number;
}

/** Where a node's `group` config comes from: its file's config() call, its property entry, or the project file. */
export function groupConfigSite(fileConfig: Record<string, unknown>, fileText: () => string, file: string, patch: { file: string; line?: number; config?: Record<string, unknown> } | undefined, projectFile: string): { file: string; line?: number } {
  if ('group' in fileConfig) {
    const text = fileText();
    return { file, line: lineIn(text, /\bgroup\s*[=:]/) };
  }
  if (patch && patch.config && 'group' in patch.config) return { file: patch.file, line: patch.line };
  return { file: projectFile };
}

/**
 * Each use of a group no property file defines (`groups`: the names defined by the root project and every
 * installed package: as in dbt, a node may name another package's group), located where the `group` config is
 * written; a use set by the project file's folder configs is located at its `+group:` (the file is read only then).
 */
export function groupDiagnostics(groups: readonly string[], uses: GroupUse[], projectText: () => string = () => ''): Diagnostic[] {
  const names = [...new Set(groups)].sort();
  const known = new Set(names);
  return uses.flatMap((u) => {
    if (u.group === undefined || u.group === null || (typeof u.group === 'string' && known.has(u.group))) return [];
    const near = typeof u.group === 'string' ? didYouMean(u.group, names) : undefined;
    const define = `define it in a property file:\ngroups:\n  - name: ${String(u.group)}\n    owner: {email: owner@example.com}`;
    return [{
      code: 'group-not-found',
      severity: 'error' as const,
      message: `Invalid group '${String(u.group)}', expected one of [${names.map((n) => `'${n}'`).join(', ')}] (the group of ${u.node})`,
      file: u.file,
      line: u.line ?? lineIn(projectText(), /^\s*\+group\s*:/m),
      hint: near ?? (names.length ? `use one of the groups defined, or ${define}` : define),
    }];
  });
}
