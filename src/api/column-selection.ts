import type { Diagnostic } from '../diagnostics/index.js';
import type { ColumnSelector } from '../select/index.js';
import type { PreparedProject } from './prepare.js';
import type { SelectionOptions } from './types.js';

/** A `column:` selector and what computing the lineage for it found worth saying. */
export interface ColumnSelection {
  selector: ColumnSelector;
  diagnostics: Diagnostic[];
}

/** Does any selector of the command (flags or selectors.yml) use the `column:` method? */
function usesColumns(p: PreparedProject, options: SelectionOptions): boolean {
  const flags = [...(options.select ?? []), ...(options.exclude ?? [])].some((s) => s.includes('column:'));
  return flags || (p.project.config.selectors.length > 0 && /"column\b|column:/.test(JSON.stringify(p.project.config.selectors)));
}

/** A reason that only says some columns are unlisted (a star over a source without catalog) loses no edge read downstream. */
const benign = (reason: string | undefined): boolean => reason !== undefined && reason.startsWith('it selects * over') && !reason.includes('; ');

/**
 * The `column:` selector of a command, when one of its selectors uses it: the column lineage is computed from
 * the compiled SQL and target/catalog.json (project-lineage.ts). A model whose lineage is untraced, or partial
 * for a reason that can hide an edge, below the selected column is named in a warning: the selection cannot
 * see through it.
 */
export async function columnSelectionFor(p: PreparedProject, options: SelectionOptions): Promise<ColumnSelection | undefined> {
  if (!usesColumns(p, options)) return undefined;
  // Loaded only here: a command without a `column:` selector never pays for the SQL parser and lineage.
  const [{ resolveColumnAddress }, { addressableNodes, projectColumnGraph }] = await Promise.all([import('../lineage/index.js'), import('./lineage-command.js')]);
  // A model that does not compile offline is untraced; the warning below names it if it matters here.
  const { graph } = await projectColumnGraph(p);
  const diagnostics: Diagnostic[] = [];
  const nodes = addressableNodes(p.graph);
  const selector: ColumnSelector = (address, up, down) => {
    const ref = resolveColumnAddress(address, nodes, graph);
    if ('error' in ref) throw new Error(`${ref.error}${ref.hint ? ` (${ref.hint})` : ''}`);
    const below = new Set<string>();
    const walk = (id: string): void => {
      for (const c of p.graph.childMap[id] ?? []) if (!below.has(c)) {
        below.add(c);
        walk(c);
      }
    };
    if (down !== undefined) walk(ref.node);
    for (const id of below) {
      const l = graph.artifact.nodes[id];
      if (l && l.status !== 'traced' && !benign(l.reason)) diagnostics.push({ code: 'lineage-incomplete', severity: 'warn', message: `column:${address}: the column lineage of ${id} is ${l.status} (${l.reason}); models that depend on the column through it may be missed`, file: p.graph.manifest.nodes[id]?.originalFilePath ?? id, hint: 'run `strata docs generate` after a build so every relation\'s columns are known, or select it by name too' });
    }
    return graph.selectNodes(ref, up, down);
  };
  return { selector, diagnostics };
}
