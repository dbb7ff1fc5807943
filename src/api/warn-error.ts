import type { Diagnostic } from '../diagnostics/index.js';
import { warningFails, type WarnErrorOptions } from './warn-error-options.js';

/**
 * dbt's `--warn-error` and `warn_error_options`: the warnings that fail the command, turned into errors (the
 * command then stops, exit 2), or undefined when there are none.
 */
export function warningsAsErrors(diagnostics: Diagnostic[], settings: { warnError?: boolean; warnErrorOptions?: WarnErrorOptions }): Diagnostic[] | undefined {
  if (!settings.warnError && !settings.warnErrorOptions) return undefined;
  const fails = (d: Diagnostic): boolean => d.severity === 'warn' && warningFails(d.code, settings);
  if (!diagnostics.some(fails)) return undefined;
  const why = settings.warnError ? 'an error with --warn-error' : 'an error by warn_error_options';
  return diagnostics.map((d) => (fails(d) ? { ...d, severity: 'error', message: `${d.message} (a warning, ${why})` } : d));
}
