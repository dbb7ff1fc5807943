import type { Diagnostic } from '../diagnostics/index.js';

/**
 * dbt's `--warn-error`: the warnings, turned into errors (the command then stops, exit 2), or undefined
 * when there are none or the flag is off.
 */
export function warningsAsErrors(diagnostics: Diagnostic[], warnError: boolean | undefined): Diagnostic[] | undefined {
  if (!warnError || !diagnostics.some((d) => d.severity === 'warn')) return undefined;
  return diagnostics.map((d) => (d.severity === 'warn' ? { ...d, severity: 'error', message: `${d.message} (a warning, an error with --warn-error)` } : d));
}
