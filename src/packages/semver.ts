/**
 * Versions and ranges as dbt's `semver` module reads them: `1.2.3`, `=1.2.3`, `>=1.0.0`, `<2.0.0` (a list of
 * them is their intersection). Pre-releases (`1.0.0-rc1`) sort before their release and are installed only
 * when a specifier names one or `install-prerelease: true`.
 */
import { compareVersions, parseSpecifier, parseVersion, versionSpecEntries, type Specifier, type Version } from '../project/version-spec.js';

export { compareVersions, parseSpecifier, parseVersion, type Matcher, type Specifier, type Version } from '../project/version-spec.js';

/** A bound of a range; undefined: unbounded. */
interface Bound {
  version: Version;
  inclusive: boolean;
}

export interface VersionRange {
  start?: Bound;
  end?: Bound;
}

export const formatVersion = (v: Version): string => `${v.major}.${v.minor}.${v.patch}${v.prerelease ? `-${v.prerelease}` : ''}`;

export function formatRange(range: VersionRange): string {
  if (range.start && range.end && range.start.inclusive && range.end.inclusive && compareVersions(range.start.version, range.end.version) === 0) return `=${formatVersion(range.start.version)}`;
  const parts = [
    range.start ? `${range.start.inclusive ? '>=' : '>'}${formatVersion(range.start.version)}` : '',
    range.end ? `${range.end.inclusive ? '<=' : '<'}${formatVersion(range.end.version)}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'any version';
}

function tighterStart(a: Bound | undefined, b: Bound | undefined): Bound | undefined {
  if (!a || !b) return a ?? b;
  const c = compareVersions(a.version, b.version);
  return c > 0 ? a : c < 0 ? b : { version: a.version, inclusive: a.inclusive && b.inclusive };
}

function tighterEnd(a: Bound | undefined, b: Bound | undefined): Bound | undefined {
  if (!a || !b) return a ?? b;
  const c = compareVersions(a.version, b.version);
  return c < 0 ? a : c > 0 ? b : { version: a.version, inclusive: a.inclusive && b.inclusive };
}

export function rangeOf(spec: Specifier): VersionRange {
  const bound = { version: spec, inclusive: spec.matcher !== '>' && spec.matcher !== '<' };
  if (spec.matcher === '=') return { start: bound, end: bound };
  return spec.matcher.startsWith('>') ? { start: bound } : { end: bound };
}

/** The intersection of two ranges; undefined when nothing satisfies both. */
export function intersect(a: VersionRange, b: VersionRange): VersionRange | undefined {
  const range = { start: tighterStart(a.start, b.start), end: tighterEnd(a.end, b.end) };
  if (range.start && range.end) {
    const c = compareVersions(range.start.version, range.end.version);
    if (c > 0 || (c === 0 && !(range.start.inclusive && range.end.inclusive))) return undefined;
  }
  return range;
}

export function satisfies(v: Version, range: VersionRange): boolean {
  if (range.start) {
    const c = compareVersions(v, range.start.version);
    if (c < 0 || (c === 0 && !range.start.inclusive)) return false;
  }
  if (range.end) {
    const c = compareVersions(v, range.end.version);
    if (c > 0 || (c === 0 && !range.end.inclusive)) return false;
  }
  return true;
}

/** The highest of `available` in the range (pre-releases only if allowed), as written; undefined if none. */
export function highestIn(range: VersionRange, available: string[], prerelease: boolean): string | undefined {
  let best: { text: string; v: Version } | undefined;
  for (const text of available) {
    const v = parseVersion(text);
    if (!v || (v.prerelease && !prerelease) || !satisfies(v, range)) continue;
    if (!best || compareVersions(v, best.v) > 0) best = { text, v };
  }
  return best?.text;
}

/** `require-dbt-version` (a string or a list) against a dbt version: undefined if it holds, else why not. */
export function dbtVersionProblem(required: unknown, dbtVersion: string): string | undefined {
  const list = versionSpecEntries(required).map((e) => String(e.text).trim());
  if (!list.length) return undefined;
  let range: VersionRange | undefined = {};
  for (const text of list) {
    const spec = parseSpecifier(text);
    if (!spec) return `require-dbt-version '${text}' is not a version specifier`;
    range = range && intersect(range, rangeOf(spec));
  }
  const v = parseVersion(dbtVersion)!;
  return range && satisfies(v, range) ? undefined : `it requires dbt ${list.join(', ')}; Strata follows dbt ${dbtVersion}`;
}

/**
 * Installed packages whose `require-dbt-version` excludes the dbt version Strata follows. dbt stops there;
 * Strata warns, as such a package often works all the same.
 */
export function installedVersionWarnings(packages: { name: string; dir: string; requireDbtVersion?: unknown }[], dbtVersion: string): import('../diagnostics/index.js').Diagnostic[] {
  return packages.flatMap((pkg) => {
    const problem = dbtVersionProblem(pkg.requireDbtVersion, dbtVersion);
    return problem ? [{ code: 'package-dbt-version', severity: 'warn' as const, message: `package '${pkg.name}' does not declare support for this dbt version: ${problem}`, file: `${pkg.dir}/dbt_project.yml`, line: 1, hint: 'install a version of the package that supports it (strata deps picks one from the hub); it may still work' }] : [];
  });
}
