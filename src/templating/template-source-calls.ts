import { UserError, locate } from '../diagnostics/index.js';
import { JinjaError } from './jinja/index.js';
import { TemplateUserError } from './signals.js';

/** Where a template calls `fn` (with `first` as its first argument if it can tell), for a diagnostic. */
export function findCall(source: string, file: string, fn: string, first: string): { file: string; line: number; column: number } {
  const exact = new RegExp(`${fn}\\s*\\(\\s*['"]${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`).exec(source);
  const any = exact ?? new RegExp(`${fn}\\s*\\(`).exec(source);
  return { file, ...(any ? locate(source, any.index) : { line: 1, column: 1 }) };
}

/** An error the warehouse raised (passed on as it is), not a template's or Strata's own. */
export function isWarehouseError(e: unknown): boolean {
  return e instanceof Error && !(e instanceof UserError) && !(e instanceof JinjaError) && !(e instanceof TemplateUserError) && e.name !== 'TypeError' && e.name !== 'RangeError' && e.name !== 'ReferenceError';
}
