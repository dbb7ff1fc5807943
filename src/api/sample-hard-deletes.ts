import type { Diagnostic } from '../diagnostics/index.js';
import type { Manifest, ManifestNode } from '../parse/types.js';

/**
 * `--sample` and snapshots that track hard deletes. dbt samples a snapshot's refs and sources as a model's
 * (dbt-core#11311), so a snapshot with `hard_deletes: invalidate` or `new_record` would take every key outside
 * the window for deleted: it closes their history rows (or adds deletion records) for good, and a later run
 * without `--sample` opens new rows rather than reopening those. Strata refuses such a selection before the
 * warehouse is opened. A snapshot whose inputs have no `event_time` reads them whole and is not refused.
 */
export function sampleHardDeleteDiagnostics(manifest: Manifest, ids: string[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const id of ids) {
    const node = manifest.nodes[id];
    if (node?.resourceType !== 'snapshot') continue;
    const mode = hardDeletes(node);
    const inputs = mode === 'ignore' ? [] : sampledInputs(manifest, node);
    if (!inputs.length) continue;
    out.push({
      code: 'sample-hard-deletes',
      severity: 'error',
      message: `snapshot '${node.name}' tracks hard deletes (hard_deletes='${mode}') and --sample would read only a window of ${inputs.map((n) => `'${n}'`).join(', ')}: every key outside it would be ${mode === 'invalidate' ? 'closed (dbt_valid_to set)' : 'recorded as deleted'} for good; nothing was run`,
      file: node.originalFilePath,
      hint: `leave snapshots out of the sampled build (--exclude resource_type:snapshot, or --exclude ${node.name}) and build them without --sample`,
    });
  }
  return out;
}

/** dbt's `hard_deletes`, or the older `invalidate_hard_deletes: true`. */
function hardDeletes(node: ManifestNode): string {
  const c = node.config as Record<string, unknown>;
  if (c.hard_deletes !== undefined && c.hard_deletes !== null) return String(c.hard_deletes);
  return c.invalidate_hard_deletes === true ? 'invalidate' : 'ignore';
}

/** The names of the node's inputs that --sample filters: those with an event_time, and through ephemeral models. */
function sampledInputs(manifest: Manifest, node: ManifestNode, seen = new Set<string>()): string[] {
  const names: string[] = [];
  for (const id of node.dependsOn.nodes) {
    if (seen.has(id)) continue;
    seen.add(id);
    const input = manifest.nodes[id] ?? manifest.sources[id];
    if (!input) continue;
    const field = input.config.event_time;
    if (typeof field === 'string' && field.trim()) names.push(input.name);
    else if (input.resourceType === 'model' && input.config.materialized === 'ephemeral') names.push(...sampledInputs(manifest, input as ManifestNode, seen));
  }
  return names;
}
