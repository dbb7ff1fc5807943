/**
 * Version specifiers as dbt reads them (`1.2.3`, `=1.2.3`, `>=1.0.0`, `<2.0.0`): the pure parsing and ordering shared
 * by packages/ (ranges, the hub) and project/ (`require-dbt-version:` checked at load).
 */
export interface Version {
  major: number;
  minor: number;
  patch: number;
  prerelease?: string;
}

export type Matcher = '>=' | '>' | '<=' | '<' | '=';

export interface Specifier extends Version {
  matcher: Matcher;
}

const VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function parseVersion(text: string): Version | undefined {
  const m = VERSION.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), ...(m[4] ? { prerelease: m[4] } : {}) };
}

/** `>=1.0.0` → a specifier; undefined if it is not one dbt reads. */
export function parseSpecifier(text: string): Specifier | undefined {
  const m = /^\s*(>=|<=|>|<|=)?\s*(.*)$/.exec(String(text));
  const version = m ? parseVersion(m[2]!) : undefined;
  return version ? { ...version, matcher: (m![1] as Matcher | undefined) ?? '=' } : undefined;
}

function comparePrerelease(a?: string, b?: string): number {
  if (a === b) return 0;
  if (!a) return 1;
  if (!b) return -1;
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const nx = /^\d+$/.test(x) ? Number(x) : undefined;
    const ny = /^\d+$/.test(y) ? Number(y) : undefined;
    if (nx !== undefined && ny !== undefined) return nx - ny;
    if (nx !== undefined) return -1;
    if (ny !== undefined) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch || comparePrerelease(a.prerelease, b.prerelease);
}

/**
 * A `require-dbt-version:` value as dbt reads it: one specifier, several separated by commas
 * (`">=1.0.0,<2.0.0"`), or a list of them. Each entry with its list index (undefined for a single text).
 */
export function versionSpecEntries(required: unknown): { index?: number; text: unknown }[] {
  if (required === undefined || required === null || required === '') return [];
  if (Array.isArray(required)) return required.map((text, index) => ({ index, text }));
  return typeof required === 'string' ? required.split(',').map((text) => ({ text })) : [{ text: required }];
}

/** The entries of a `require-dbt-version:` value that are no version specifier (a number, "banana", ">=1.x"). */
export function badVersionSpecs(required: unknown): { index?: number; text: unknown }[] {
  return versionSpecEntries(required).filter((e) => typeof e.text !== 'string' || !parseSpecifier(e.text));
}

/** Whether a version meets one specifier (`>=1.5.0` holds for 1.8.0). */
export function meetsSpecifier(v: Version, spec: Specifier): boolean {
  const c = compareVersions(v, spec);
  return spec.matcher === '=' ? c === 0 : spec.matcher === '>=' ? c >= 0 : spec.matcher === '>' ? c > 0 : spec.matcher === '<=' ? c <= 0 : c < 0;
}
