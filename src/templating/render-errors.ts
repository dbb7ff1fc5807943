/** Errors raised while compiling or rendering a template, as located diagnostics. */
import { UserError, didYouMean, type Diagnostic } from '../diagnostics/index.js';
import { JinjaError } from './jinja/index.js';
import { FILTERS } from './jinja/filters.js';
import { TESTS } from './jinja/tests.js';
import { ReturnSignal, TemplateUserError } from './signals.js';

export interface ErrorContext {
  file: string;
  source: string;
  findCall(fn: string): { file: string; line: number; column: number };
  macroNames(): string[];
  declaredPackages: string[];
  installedPackages(): string[];
}

interface Located {
  templateLine?: number;
  templateFile?: string;
}

/**
 * Where to report an error: the line of the node's own file where it surfaced (dbt names the model), and the
 * macro file and line it was raised at when that is another file.
 */
function where(e: unknown, file: string): { file: string; line?: number; raisedIn?: string } {
  // A syntax error is about the file that has it (a macro file compiled on first use): report it there.
  if (e instanceof JinjaError && e.kind === 'syntax' && e.file && e.file !== file) return { file: e.file, ...(e.line ? { line: e.line } : {}) };
  const stack = (e as { templateStack?: { file?: string; line: number }[] } | undefined)?.templateStack ?? [];
  const own = [...stack].reverse().find((f) => f.file === file || f.file === '<template>');
  const inner = stack[0];
  const raisedIn = inner?.file && inner.file !== file && inner.file !== '<template>' ? `${inner.file}:${inner.line}` : undefined;
  if (own) return { file, line: own.line, ...(raisedIn ? { raisedIn } : {}) };
  if (e instanceof JinjaError) return { file: e.file && e.file !== '<template>' ? e.file : file, ...(e.line ? { line: e.line } : {}) };
  const l = e as Located | undefined;
  return { file: l?.templateFile ?? file, ...(l?.templateLine ? { line: l.templateLine } : {}) };
}

/** For Jinja2's "No filter named 'x'." (a template, as dbt, is compiled whole): the closest name there is. */
function unknownFilterHint(message: string): string | undefined {
  const m = /^No (filter|test) named '([^']+)'\.$/.exec(message);
  if (!m) return undefined;
  const near = didYouMean(m[2]!, Object.keys(m[1] === 'filter' ? FILTERS : TESTS));
  return `'${m[2]}' is not a ${m[1]} Jinja2 or dbt has${near ? `: ${near}` : m[1] === 'filter' ? ": use one of Jinja2's (lower, replace, default, join, …) or dbt's as_bool, as_native, as_number, as_text" : ''}`;
}

const suffix = (at: { raisedIn?: string }): string => (at.raisedIn ? ` (raised in ${at.raisedIn})` : '');

export function renderErrorDiagnostic(e: unknown, ctx: ErrorContext): Diagnostic {
  const { raisedIn, ...at } = where(e, ctx.file);
  const more = suffix({ raisedIn });
  if (e instanceof UserError) return e.diagnostics[0]!;
  if (e instanceof TemplateUserError) {
    const loc = !at.line && (e.code === 'ref-not-found' || e.code === 'source-not-found') ? ctx.findCall(e.code.startsWith('ref') ? 'ref' : 'source') : at;
    return { code: e.code, severity: 'error', message: e.message + more, ...loc, ...(e.hint ? { hint: e.hint } : {}) };
  }
  if (e instanceof ReturnSignal) return { code: 'jinja-render-error', severity: 'error', message: 'return() used outside a macro' + more, ...at, hint: 'return() only works inside {% macro %}' };
  if (e instanceof JinjaError) {
    if (e.kind === 'syntax') return { code: 'jinja-syntax-error', severity: 'error', message: `template syntax error: ${e.message}`, ...at, hint: unknownFilterHint(e.message) ?? 'fix the Jinja syntax at this line (every {{ }} and {% %} closed, every block with its end tag)' };
    const called = (e as { called?: string }).called;
    const undefinedName = /^'([A-Za-z_]\w*)' is undefined$/.exec(e.message)?.[1];
    if (undefinedName && ctx.declaredPackages.includes(undefinedName) && !ctx.installedPackages().includes(undefinedName)) {
      return { code: 'macro-not-found', severity: 'error', message: `'${undefinedName}' is not defined: there is no package '${undefinedName}'${more}`, ...at, hint: 'packages.yml lists it but it is not installed: run strata deps' };
    }
    const name = called ?? (undefinedName && new RegExp(`\\b${undefinedName}\\s*(\\.\\s*\\w+\\s*)?\\(`).test(ctx.source) ? undefinedName : undefined);
    if (name) {
      const hint = didYouMean(name, ctx.macroNames()) ?? `define it in a .sql file under macro-paths (macros/), or if it is a package's, list the package in packages.yml and run strata deps`;
      return { code: 'macro-not-found', severity: 'error', message: `'${name}' is not a macro or function${more}`, ...at, hint };
    }
    return { code: 'jinja-render-error', severity: 'error', message: e.message + more, ...at };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'jinja-render-error', severity: 'error', message: message + more, ...at };
}
