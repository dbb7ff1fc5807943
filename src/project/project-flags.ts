/**
 * `flags:` of the project file checked against dbt's documented project flags: a wrong type is a located
 * error (dbt's schema rejects it), an unknown flag a located warning (dbt warns and ignores it).
 */
import { didYouMean, type Diagnostic } from '../diagnostics/index.js';

type FlagKind = 'boolean' | 'integer' | 'warn_error_options' | readonly string[];

const B = 'boolean' as const;

/** dbt's project flags (dbt_project.yml `flags:`) and the value each takes. */
const FLAGS: Record<string, FlagKind> = {
  cache_selected_only: B, debug: B, fail_fast: B, partial_parse: B, populate_cache: B, send_anonymous_usage_stats: B,
  static_parser: B, use_colors: B, use_colors_file: B, use_experimental_parser: B, version_check: B, warn_error: B,
  write_json: B, quiet: B, print: B, introspect: B, printer_width: 'integer', warn_error_options: 'warn_error_options',
  indirect_selection: ['eager', 'cautious', 'buildable', 'empty'],
  log_format: ['text', 'debug', 'json', 'default'], log_format_file: ['text', 'debug', 'json', 'default'],
  log_level: ['debug', 'info', 'warn', 'error', 'none'], log_level_file: ['debug', 'info', 'warn', 'error', 'none'],
  // Behaviour-change flags (dbt's "legacy behaviors"), all true or false.
  require_explicit_package_overrides_for_builtin_materializations: B, require_resource_names_without_spaces: B,
  source_freshness_run_project_hooks: B, skip_nodes_if_on_run_start_fails: B, state_modified_compare_more_unrendered_values: B,
  state_modified_compare_vars: B, require_yaml_configuration_for_mf_time_spines: B, require_batched_execution_for_custom_microbatch_strategy: B,
  require_nested_cumulative_type_params: B, validate_macro_args: B, require_generic_test_arguments_property: B,
  require_model_names_without_spaces: B, restrict_direct_pg_catalog_access: B, require_all_warnings_handled_by_warn_error: B,
  // The adapter's behaviour flags (templates read them as adapter.behavior.<name>).
  enable_truthy_nulls_equals_macro: B,
};

const WARN_ERROR_KEYS = ['include', 'exclude', 'error', 'warn', 'silence'];

/** What is wrong with one flag's value, with an example; undefined when it is right. */
function flagProblem(name: string, kind: FlagKind, v: unknown): { expected: string; example: string; key?: string } | undefined {
  if (v === null || v === undefined) return undefined;
  if (kind === 'boolean') return typeof v === 'boolean' ? undefined : { expected: 'true or false', example: `${name}: true` };
  if (kind === 'integer') return Number.isInteger(v) && (v as number) > 0 ? undefined : { expected: 'a whole number', example: `${name}: 80` };
  if (Array.isArray(kind)) return typeof v === 'string' && kind.includes(v) ? undefined : { expected: `one of ${kind.join(', ')}`, example: `${name}: ${kind[0]}` };
  const example = 'warn_error_options:\n    error: all\n    warn: [NoNodesForSelectionCriteria]';
  if (typeof v !== 'object' || Array.isArray(v)) return { expected: `a mapping of ${WARN_ERROR_KEYS.join('/')}`, example };
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (!WARN_ERROR_KEYS.includes(k)) return { expected: `a mapping of ${WARN_ERROR_KEYS.join('/')} ('${k}' is none of them)`, example, key: k };
    const ok = x === null || x === 'all' || x === '*' || (Array.isArray(x) && x.every((e) => typeof e === 'string'));
    if (!ok) return { expected: `a mapping whose ${k} is "all" or a list of event names`, example, key: k };
  }
  return undefined;
}

/** Every problem of the project file's `flags:` mapping, each at its key's line. */
export function projectFlagDiagnostics(flags: unknown, file: string, lineOf: (path: (string | number)[]) => number | undefined): Diagnostic[] {
  if (!flags || typeof flags !== 'object' || Array.isArray(flags)) return []; // not a mapping: reported as project-invalid
  const out: Diagnostic[] = [];
  for (const [name, v] of Object.entries(flags as Record<string, unknown>)) {
    const line = lineOf(['flags', name]) ?? lineOf(['flags']) ?? 1;
    const kind = FLAGS[name];
    if (!kind) {
      const near = didYouMean(name, Object.keys(FLAGS));
      out.push({ code: 'project-unknown-flag', severity: 'warn', message: `flags.${name} is not a dbt project flag, so it has no effect`, file, line, hint: near ?? `dbt's project flags include ${Object.keys(FLAGS).slice(0, 6).join(', ')}, …` });
      continue;
    }
    const problem = flagProblem(name, kind, v);
    if (problem) out.push({ code: 'project-invalid', severity: 'error', message: `flags.${name} must be ${problem.expected}, not ${JSON.stringify(v)}`, file, line: (problem.key !== undefined ? lineOf(['flags', name, problem.key]) : undefined) ?? line, hint: `flags:\n  ${problem.example}` });
  }
  return out;
}
