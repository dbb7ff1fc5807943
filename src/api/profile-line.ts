import { readFileSync } from 'node:fs';

/**
 * The line of `key:` in a target's output of profiles.yml (else the output's own line, else 1), for problems
 * an adapter finds in settings it was given without their positions.
 */
export function profileLine(file: string | undefined, output: string, key: string): number {
  let lines: string[];
  try {
    lines = readFileSync(file ?? 'profiles.yml', 'utf8').split(/\r?\n/);
  } catch {
    return 1;
  }
  const start = lines.findIndex((l) => new RegExp(`^\\s*['"]?${output.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]?\\s*:`).test(l));
  const from = Math.max(0, start);
  const at = lines.findIndex((l, i) => i > from && new RegExp(`^\\s*${key}\\s*:`).test(l));
  return (at !== -1 ? at : start !== -1 ? start : 0) + 1;
}

/** The setting a problem of `validateTarget` is about: its message names it (`duckdb path …`, `settings:`). */
export function settingOf(problem: string): string {
  const m = /\b(path|settings|type|keyfile|method|project|dataset|location|threads)\b/.exec(problem);
  return m ? m[1]! : 'type';
}
