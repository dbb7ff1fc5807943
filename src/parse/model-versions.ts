/** dbt's model versions: which version is the latest, and a version's properties derived from the model's. */
import type { Patch, RawTest, VersionPatch } from './schema-yaml.js';

/** A model's latest version: `latest_version`, or the highest `v` (numerically where they are numbers). */
export function latestOf(p: Patch): string {
  if (p.latestVersion !== undefined) return p.latestVersion;
  return [...p.versions!.map((v) => v.v)].sort((a, b) => (Number.isNaN(Number(a)) || Number.isNaN(Number(b)) ? (a < b ? -1 : 1) : Number(a) - Number(b))).at(-1)!;
}

/**
 * A version's properties, as dbt derives them: the model's top-level ones, with the version's config,
 * description and constraints over them; its columns are the top-level ones it includes (`include`, default
 * all, minus `exclude`) with its own on top; the model's tests apply to every version, with the version's own.
 */
export function versionedPatch(p: Patch, v: VersionPatch): Patch {
  const inherited = Object.fromEntries(Object.entries(p.columns).filter(([n]) => (v.include === 'all' || v.include.includes(n)) && !v.exclude.includes(n)));
  const columnTests: Record<string, RawTest[]> = {};
  for (const n of Object.keys(inherited)) if (p.columnTests[n] && !v.columns?.[n]) columnTests[n] = p.columnTests[n]!;
  Object.assign(columnTests, v.columnTests);
  const constraints = v.constraints ?? p.constraints;
  return {
    ...p,
    line: v.line ?? p.line,
    description: v.description ?? p.description,
    config: { ...p.config, ...v.config },
    columns: { ...inherited, ...(v.columns ?? {}) },
    tests: [...p.tests, ...v.tests],
    columnTests,
    ...(constraints ? { constraints } : {}),
  };
}
