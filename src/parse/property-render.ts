import type { Diagnostic } from '../diagnostics/index.js';
import { renderFailure, renderYamlTree } from '../project/index.js';
import { envDigest, varDigest } from '../templating/render-scope.js';

/** What the property files of a parse read: env vars and vars by digest, and the vars' names. */
export interface PropertyReads {
  envRead: Record<string, string | null>;
  varsRead: Record<string, string | null>;
  /** Vars read outside any file's render: a change to one is a full parse (no single file can be parsed again). */
  parseVars: string[];
}

/**
 * Renders `{{ var() }}` / `{{ env_var() }}` / `target` in a value from a property file (a model's or test's `config:`,
 * a source's schema…) as dbt does, records every name read in `reads`, and reports a name that is not set
 * and has no default as a diagnostic at `at`. `what` names the value in that message.
 */
export function propertyRenderer(env: NodeJS.ProcessEnv, vars: Record<string, unknown>, reads: PropertyReads, report: (d: Diagnostic) => void, target?: Record<string, unknown>): <T>(value: T, what: string, at: { file: string; line?: number }) => T {
  const ctx = {
    env,
    vars,
    ...(target ? { target } : {}),
    onRead: (kind: 'env_var' | 'var', name: string, value: unknown): void => {
      if (kind === 'env_var') reads.envRead[name] = envDigest(value as string | undefined);
      else {
        reads.varsRead[name] = varDigest(value);
        if (!reads.parseVars.includes(name)) reads.parseVars.push(name);
      }
    },
  };
  return <T>(value: T, what: string, at: { file: string; line?: number }): T => {
    if (!JSON.stringify(value)?.includes('{{')) return value;
    return renderYamlTree(value, ctx, [], (_path, missing, kind) => {
      report(renderFailure(kind, missing, { file: at.file, ...(at.line !== undefined ? { line: at.line } : {}) }, `add it under vars: in the project file, pass --vars '{${missing}: …}', or give a default`, what));
    }) as T;
  };
}

/** Whether a column's properties (its description aside) hold Jinja: most do not, and are kept as they are. */
export function columnHasJinja(c: object): boolean {
  for (const [k, v] of Object.entries(c)) {
    if (k === 'description' || v === null || v === undefined) continue;
    if (typeof v === 'string' ? v.includes('{{') : typeof v === 'object' && JSON.stringify(v).includes('{{')) return true;
  }
  return false;
}
