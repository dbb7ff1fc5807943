import type { Diagnostic } from '../diagnostics/index.js';
import { columnSelectionFor } from './column-selection.js';
import { selectForCommand } from './state-option.js';
import { formatList } from '../select/index.js';
import { prepareProject } from './prepare.js';
import { warningsAsErrors } from './warn-error.js';
import { resourceTypeFilter, splitFlagValues, LIST_DEFAULT_TYPES, RESOURCE_TYPES } from './resource-types.js';
import type { CommonOptions, SelectionOptions, ExitCode } from './types.js';

export interface ListOptions extends CommonOptions, SelectionOptions {
  output?: 'name' | 'path' | 'json' | 'selector';
  /** `--resource-type`: these types only; none or `default`: every type but analyses (dbt's `ls`); `all`: every type; an unknown one: exit 2. */
  resourceTypes?: string[];
  /** `--exclude-resource-type`: leave these types out. */
  excludeResourceTypes?: string[];
  /** `--output-keys`: with `--output json`, only these keys of each node (dbt's flag). */
  outputKeys?: string[];
}

/** `strata ls`: the selection, one line per node. Never opens the warehouse. */
export async function list(options: ListOptions): Promise<{ exitCode: ExitCode; diagnostics: Diagnostic[]; lines: string[] }> {
  const filter = resourceTypeFilter(options.resourceTypes, '--resource-type', LIST_DEFAULT_TYPES);
  const excluded = resourceTypeFilter(options.excludeResourceTypes, '--exclude-resource-type');
  const typeProblems = [...filter.diagnostics, ...excluded.diagnostics];
  if (typeProblems.length) return { exitCode: 2, diagnostics: typeProblems, lines: [] };
  const without = new Set(excluded.types ?? []);
  const types = (filter.types ?? (without.size ? RESOURCE_TYPES : undefined))?.filter((t) => !without.has(t));
  const outcome = await prepareProject({ ...options, profileOptional: true });
  if (!outcome.ok) return { exitCode: 2, diagnostics: outcome.diagnostics, lines: [] };
  const p = outcome.prepared;
  // The macro files compiled by a full parse, kept for the next command (templating/template-code-cache.ts).
  p.templateCode?.save();
  const selection = selectForCommand(p, options, types, await columnSelectionFor(p, options));
  const diagnostics = [...p.diagnostics, ...selection.diagnostics];
  if (selection.diagnostics.some((d) => d.severity === 'error')) return { exitCode: 2, diagnostics, lines: [] };
  const strict = warningsAsErrors(diagnostics, options);
  if (strict) return { exitCode: 2, diagnostics: strict, lines: [] };
  // In unique id order, as dbt's `ls` prints them (not graph order).
  return { exitCode: 0, diagnostics, lines: formatList(p.graph, [...selection.ids].sort(), options.output ?? 'selector', options.outputKeys ? splitFlagValues(options.outputKeys) : undefined) };
}
