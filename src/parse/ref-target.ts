import type { ManifestNode, RefCall } from './types.js';

/**
 * Which of the nodes named in a `ref()` it means, as dbt resolves it: the package's (or this project's, else
 * the referring node's package's, else the only one), then, for a versioned model, the version asked for (`v=`) or its latest version.
 * Undefined when none fits; `versions` then lists what the model has, for the message.
 */
export function refTarget(candidates: ManifestNode[], ref: RefCall, projectName: string, fromPackage?: string): { node?: ManifestNode; versions?: string[] } {
  // The common case, once per ref of every node: one unversioned node of that name.
  if (candidates.length === 1 && ref.version === undefined && candidates[0]!.version === undefined) return ref.package && candidates[0]!.packageName !== ref.package ? {} : { node: candidates[0] };
  // Without a package named: the root project's, then the referring node's own package's (dbt's order), then any.
  const first = [projectName, fromPackage].find((p) => p !== undefined && candidates.some((c) => c.packageName === p));
  const inPackage = ref.package ? candidates.filter((c) => c.packageName === ref.package) : first ? candidates.filter((c) => c.packageName === first) : candidates;
  const versioned = inPackage.filter((c) => c.version !== undefined);
  if (ref.version !== undefined) {
    const node = versioned.find((c) => c.version === String(ref.version));
    return node ? { node } : { versions: versioned.map((c) => c.version!) };
  }
  if (versioned.length) return { node: versioned.find((c) => c.version === c.latestVersion) ?? versioned[versioned.length - 1] };
  return { node: inPackage[0] };
}
