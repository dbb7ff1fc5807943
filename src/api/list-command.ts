import type { Diagnostic } from '../diagnostics/index.js';
import { columnSelectionFor } from './column-selection.js';
import { selectForCommand } from './state-option.js';
import { formatList } from '../select/index.js';
import { prepareProject } from './prepare.js';
import { warningsAsErrors } from './warn-error.js';
import { resourceTypeFilter } from './resource-types.js';
import type { CommonOptions, SelectionOptions, ExitCode } from './types.js';

export interface ListOptions extends CommonOptions, SelectionOptions {
  output?: 'name' | 'path' | 'json' | 'selector';
  /** `--resource-type`: these types only; `all`/`default`: every type; an unknown one: exit 2. */
  resourceTypes?: string[];
  /** `--output-keys`: with `--output json`, only these keys of each node (dbt's flag). */
  outputKeys?: string[];
}

/** `strata ls`: the selection, one line per node. Never opens the warehouse. */
export async function list(options: ListOptions): Promise<{ exitCode: ExitCode; diagnostics: Diagnostic[]; lines: string[] }> {
  const filter = resourceTypeFilter(options.resourceTypes);
  if (filter.diagnostics.length) return { exitCode: 2, diagnostics: filter.diagnostics, lines: [] };
  const outcome = await prepareProject({ ...options, profileOptional: true });
  if (!outcome.ok) return { exitCode: 2, diagnostics: outcome.diagnostics, lines: [] };
  const p = outcome.prepared;
  // The macro files compiled by a full parse, kept for the next command (templating/template-code-cache.ts).
  p.templateCode?.save();
  const selection = selectForCommand(p, options, filter.types, await columnSelectionFor(p, options));
  const diagnostics = [...p.diagnostics, ...selection.diagnostics];
  if (selection.diagnostics.some((d) => d.severity === 'error')) return { exitCode: 2, diagnostics, lines: [] };
  const strict = warningsAsErrors(diagnostics, options);
  if (strict) return { exitCode: 2, diagnostics: strict, lines: [] };
  return { exitCode: 0, diagnostics, lines: formatList(p.graph, selection.ids, options.output ?? 'selector', options.outputKeys?.flatMap((k) => k.split(',')).map((k) => k.trim()).filter(Boolean)) };
}
