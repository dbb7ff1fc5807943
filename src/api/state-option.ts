import { resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import { readStateManifest, selectNodes, type StateManifest } from '../select/index.js';
import type { ProjectGraph } from '../graph/index.js';
import type { SelectorDefinition } from '../project/selectors-file.js';
import type { SelectionOptions } from './types.js';
import type { ColumnSelection } from './column-selection.js';

/** The saved manifest of `--state`, read once per command; a folder without one is a usage error. */
export function stateOption(options: SelectionOptions & { defer?: boolean }, targetDir?: string): { state?: StateManifest; diagnostics: Diagnostic[] } {
  if (!options.state) {
    if (options.defer) return { diagnostics: [{ code: 'state-not-found', severity: 'error', message: '--defer needs --state: the folder of the manifest.json to defer to', file: '--defer', hint: 'add --state path/to/prod-target' }] };
    return { diagnostics: [] };
  }
  const read = readStateManifest(resolve(options.state), targetDir);
  return 'nodes' in read ? { state: read, diagnostics: [] } : { diagnostics: [read] };
}

/** `$STRATA_INDIRECT_SELECTION`, or dbt's `$DBT_INDIRECT_SELECTION`, when the flag is not given. */
function indirectFromEnv(env: NodeJS.ProcessEnv): SelectionOptions['indirectSelection'] {
  const v = (env.STRATA_INDIRECT_SELECTION ?? env.DBT_INDIRECT_SELECTION)?.toLowerCase();
  return v === 'eager' || v === 'cautious' || v === 'buildable' || v === 'empty' ? v : undefined;
}

/** `selectNodes` with the command's `--state` read and the project's YAML selectors: the selection, its diagnostics, and the saved manifest. */
export function selectForCommand(p: { graph: ProjectGraph; project: { config: { selectors: SelectorDefinition[] } }; targetDir?: string }, options: SelectionOptions & { defer?: boolean; env?: NodeJS.ProcessEnv }, resourceTypes?: string[], columns?: ColumnSelection): { ids: string[]; diagnostics: Diagnostic[]; state?: StateManifest } {
  const loaded = stateOption(options, p.targetDir);
  if (loaded.diagnostics.length) return { ids: [], diagnostics: loaded.diagnostics };
  const selection = selectNodes(p.graph, { select: options.select, exclude: options.exclude, selector: options.selector, selectors: p.project.config.selectors, resourceTypes, state: loaded.state, indirectSelection: options.indirectSelection ?? indirectFromEnv(options.env ?? process.env), ...(columns ? { columns: columns.selector } : {}) });
  return { ...selection, diagnostics: [...(columns?.diagnostics ?? []), ...selection.diagnostics], state: loaded.state };
}
