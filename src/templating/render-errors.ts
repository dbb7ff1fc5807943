/** Errors raised while compiling or rendering a template, as located diagnostics. */
import { UserError, didYouMean, type Diagnostic } from '../diagnostics/index.js';
import { JinjaError } from './jinja/index.js';
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

function where(e: unknown, file: string): { file: string; line?: number } {
  if (e instanceof JinjaError) return { file: e.file && e.file !== '<template>' ? e.file : file, ...(e.line ? { line: e.line } : {}) };
  const l = e as Located | undefined;
  return { file: l?.templateFile ?? file, ...(l?.templateLine ? { line: l.templateLine } : {}) };
}


export function renderErrorDiagnostic(e: unknown, ctx: ErrorContext): Diagnostic {
  const at = where(e, ctx.file);
  if (e instanceof UserError) return e.diagnostics[0]!;
  if (e instanceof TemplateUserError) {
    const loc = !at.line && (e.code === 'ref-not-found' || e.code === 'source-not-found') ? ctx.findCall(e.code.startsWith('ref') ? 'ref' : 'source') : at;
    return { code: e.code, severity: 'error', message: e.message, ...loc, ...(e.hint ? { hint: e.hint } : {}) };
  }
  if (e instanceof ReturnSignal) return { code: 'jinja-render-error', severity: 'error', message: 'return() used outside a macro', ...at, hint: 'return() only works inside {% macro %}' };
  if (e instanceof JinjaError) {
    if (e.kind === 'syntax') return { code: 'jinja-syntax-error', severity: 'error', message: `template syntax error: ${e.message}`, ...at, hint: 'fix the Jinja syntax at this line (every {{ }} and {% %} closed, every block with its end tag)' };
    const called = (e as { called?: string }).called;
    const undefinedName = /^'([A-Za-z_]\w*)' is undefined$/.exec(e.message)?.[1];
    if (undefinedName && ctx.declaredPackages.includes(undefinedName) && !ctx.installedPackages().includes(undefinedName)) {
      return { code: 'macro-not-found', severity: 'error', message: `'${undefinedName}' is not defined: there is no package '${undefinedName}'`, ...at, hint: 'packages.yml lists it but it is not installed: run strata deps' };
    }
    const name = called ?? (undefinedName && new RegExp(`\\b${undefinedName}\\s*(\\.\\s*\\w+\\s*)?\\(`).test(ctx.source) ? undefinedName : undefined);
    if (name) {
      const hint = didYouMean(name, ctx.macroNames()) ?? `define it in a .sql file under macro-paths (macros/), or if it is a package's, list the package in packages.yml and run strata deps`;
      return { code: 'macro-not-found', severity: 'error', message: `'${name}' is not a macro or function`, ...at, hint };
    }
    return { code: 'jinja-render-error', severity: 'error', message: e.message, ...at };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'jinja-render-error', severity: 'error', message, ...at };
}
