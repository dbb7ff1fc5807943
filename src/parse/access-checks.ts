/**
 * dbt's model access rules ("Model access", `access: private | protected | public`), checked once every
 * project's and package's nodes are parsed, their generic tests included, as dbt checks each `ref()` when it
 * resolves it (`is_invalid_private_ref`, `is_invalid_protected_ref`):
 * - a **private** model can be referenced only by a node of its group: the referrer must have a group and it
 *   must be the same (a generic test has the group of the node it tests; an exposure has none);
 * - a package that sets `restrict-access: true` lets nodes outside it reference only its **public** models;
 * - without it a package's protected (and same-group private) models are referenced as if they were the root's.
 * Seeds and unit tests are not checked, as in dbt. Projects without private models or restricted packages pay
 * one pass over the nodes' configs.
 */
import type { Diagnostic } from '../diagnostics/index.js';
import type { Exposure, Manifest, ManifestNode } from './types.js';
import { refTarget } from './ref-target.js';

/** Which projects set `restrict-access: true`: the root's config and its installed packages'. */
export interface AccessSettings {
  name: string;
  restrictAccess?: boolean;
  installedPackages: { name: string; restrictAccess?: boolean }[];
}

const REFABLE = new Set(['model', 'seed', 'snapshot']);
const UNCHECKED = new Set(['seed', 'unit_test', 'operation', 'landing']);

/** A model's access: its config's, else dbt's default, protected. Undefined for other nodes. */
export function accessOf(node: ManifestNode): string | undefined {
  if (node.resourceType !== 'model') return undefined;
  return typeof node.config.access === 'string' ? node.config.access : 'protected';
}

/** A node's group as dbt gives it: its config's, or for a generic test the group of the node it is attached to. */
export function groupOf(node: ManifestNode, nodes: Record<string, ManifestNode>): string | undefined {
  const own = node.resourceType === 'test' && node.attachedNode && nodes[node.attachedNode] ? nodes[node.attachedNode]! : node;
  return typeof own.config.group === 'string' && own.config.group ? own.config.group : undefined;
}

/** What refers: a node (with its group) or an exposure (no group). */
interface Referrer {
  node: ManifestNode | Exposure;
  group: string | undefined;
}

/**
 * Every `ref()` the access rules forbid, located at the ref, with dbt's message and a way out. `nodes`: the
 * manifest's enabled nodes when the caller has them in a list (listing 12,000 record keys costs ~3 ms).
 */
export function accessDiagnostics(manifest: Manifest, settings: AccessSettings, nodes: ManifestNode[] = Object.values(manifest.nodes)): Diagnostic[] {
  const restricted = new Set([...settings.installedPackages.filter((p) => p.restrictAccess).map((p) => p.name), ...(settings.restrictAccess ? [settings.name] : [])]);
  // Names of the models some ref could be refused: private ones, and the non-public ones of restricted packages.
  const guarded = new Set<string>();
  for (const n of nodes) {
    const access = accessOf(n);
    if (access === 'private' || (access === 'protected' && restricted.has(n.packageName))) guarded.add(n.name);
  }
  if (!guarded.size) return [];
  const byName = new Map<string, ManifestNode[]>();
  for (const n of nodes) if (REFABLE.has(n.resourceType) && guarded.has(n.name)) byName.set(n.name, [...(byName.get(n.name) ?? []), n]);
  const out: Diagnostic[] = [];
  const check = ({ node, group }: Referrer): void => {
    for (const ref of node.refs) {
      if (!guarded.has(ref.name)) continue;
      const target = refTarget(byName.get(ref.name) ?? [], ref, manifest.projectName, node.packageName).node;
      if (!target || target.uniqueId === node.uniqueId) continue;
      const refused = refusal(node, group, target, restricted, manifest.nodes);
      if (!refused) continue;
      const at = ref.at ?? { file: node.originalFilePath, line: 1, column: 1 };
      out.push({ code: 'ref-access-denied', severity: 'error', message: `Node ${node.uniqueId} attempted to reference node ${target.uniqueId}, which is not allowed because the referenced node is ${refused.scope}.`, ...at, hint: refused.hint });
    }
  };
  for (const n of nodes) if (!UNCHECKED.has(n.resourceType)) check({ node: n, group: groupOf(n, manifest.nodes) });
  for (const e of Object.values(manifest.exposures)) check({ node: e, group: undefined });
  return out;
}

/** Why a ref from `node` to `target` is refused (dbt's scope words and a fix), or undefined when it is allowed. */
function refusal(node: ManifestNode | Exposure, group: string | undefined, target: ManifestNode, restricted: ReadonlySet<string>, nodes: Record<string, ManifestNode>): { scope: string; hint: string } | undefined {
  const access = accessOf(target);
  const otherPackage = node.packageName !== target.packageName && restricted.has(target.packageName);
  if (access === 'protected' && otherPackage) {
    return { scope: `protected to the '${target.packageName}' package`, hint: `package '${target.packageName}' sets restrict-access: true, so only its public models can be referenced from outside it: ref one of those, or have '${target.name}' made public (access: public)` };
  }
  if (access !== 'private') return undefined;
  const targetGroup = typeof target.config.group === 'string' && target.config.group ? target.config.group : undefined;
  const scope = `private to the '${targetGroup ?? ''}' group`;
  if (otherPackage) return { scope, hint: `package '${target.packageName}' sets restrict-access: true, so only its public models can be referenced from outside it: ref one of those, or have '${target.name}' made public (access: public)` };
  if (group !== undefined && group === targetGroup) return undefined;
  const makeOpen = `make '${target.name}' protected or public (access: protected in its config)`;
  if (targetGroup === undefined) return { scope, hint: `'${target.name}' is private but in no group, so nothing can reference it: add it to a group (group: <name>), or ${makeOpen}` };
  if (node.resourceType === 'exposure') return { scope, hint: `an exposure belongs to no group, so it cannot reference a private model: ${makeOpen}` };
  const attached = node.resourceType === 'test' && node.attachedNode ? nodes[node.attachedNode] : undefined;
  if (attached) return { scope, hint: `a test takes the group of the node it tests ('${attached.name}', ${group === undefined ? 'in no group' : `in group '${group}'`}): ${makeOpen}, or put '${attached.name}' in group '${targetGroup}'` };
  const move = group === undefined ? `add ${node.resourceType} '${node.name}' to group '${targetGroup}'` : `move ${node.resourceType} '${node.name}' from group '${group}' to '${targetGroup}'`;
  return { scope, hint: `${makeOpen}, or ${move} (group: ${targetGroup})` };
}
