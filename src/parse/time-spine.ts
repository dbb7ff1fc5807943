/**
 * A model's `time_spine:` (dbt 1.9, for MetricFlow), checked as dbt checks it: the standard granularity column
 * is one of the model's columns (its latest version's, if it has versions) and has a `granularity:`; each custom
 * granularity's column (`column_name`, else its `name`) is one of them.
 */
import type { Report } from './yaml-entries.js';
import type { Patch } from './schema-yaml.js';
import type { TimeSpine } from './types.js';
import { latestOf, versionedPatch } from './model-versions.js';

const EXAMPLE = 'time_spine:\n  standard_granularity_column: date_day\n  custom_granularities:\n    - name: fiscal_year\n      column_name: fiscal_year_col';

/** The time spine of a model's property entry, or undefined (none written, or a mistake reported). */
export function readTimeSpine(raw: unknown, patch: Patch, path: (string | number)[], report: Report): TimeSpine | undefined {
  if (raw === undefined || raw === null) return undefined;
  const at = [...path, 'time_spine'];
  const model = patch.name;
  const entry = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
  if (!entry || typeof entry.standard_granularity_column !== 'string') {
    report(entry ? [...at, 'standard_granularity_column'] : at, `time_spine: of model '${model}' needs a standard_granularity_column`, EXAMPLE);
    return undefined;
  }
  const list = entry.custom_granularities ?? [];
  const custom: TimeSpine['customGranularities'] = [];
  if (!Array.isArray(list)) report([...at, 'custom_granularities'], `custom_granularities of model '${model}' must be a list`, EXAMPLE);
  else list.forEach((g, i) => {
    const item = g && typeof g === 'object' && !Array.isArray(g) ? (g as Record<string, unknown>) : undefined;
    if (!item || typeof item.name !== 'string') return report([...at, 'custom_granularities', i], `each custom granularity of model '${model}' needs a name`, EXAMPLE);
    custom.push({ name: item.name, ...(typeof item.column_name === 'string' ? { columnName: item.column_name } : {}) });
  });
  const spine: TimeSpine = { standardGranularityColumn: entry.standard_granularity_column, customGranularities: custom };
  const columns = patch.versions?.length ? versionedPatch(patch, patch.versions.find((v) => v.v === latestOf(patch))!).columns : patch.columns;
  const names = Object.keys(columns);
  const which = patch.versions?.length ? ' (its latest version)' : '';
  const standard = columns[spine.standardGranularityColumn];
  if (!standard) report([...at, 'standard_granularity_column'], `time spine column '${spine.standardGranularityColumn}' of model '${model}' is not one of its columns${which}: ${names.join(', ') || 'none'}`, `add it under columns: with a granularity:, or name one of those`);
  else if (!standard.granularity) report([...at, 'standard_granularity_column'], `time spine column '${spine.standardGranularityColumn}' of model '${model}' has no granularity`, `add granularity: day (or the column's grain) to column '${standard.name}'`);
  const missing = custom.map((g) => g.columnName ?? g.name).filter((n) => !columns[n]);
  if (missing.length) report([...at, 'custom_granularities'], `custom granularity columns of model '${model}' are not among its columns${which}: ${missing.join(', ')}`, `columns there: ${names.join(', ') || 'none'}`);
  return spine;
}
