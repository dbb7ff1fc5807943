/**
 * A user mistake, reported with where it is and how to fix it. Diagnostics are collected
 * (never thrown one by one) so a single run shows every problem in a project.
 */
export type DiagnosticSeverity = 'error' | 'warn';

export interface Diagnostic {
  /** Stable kebab-case code, e.g. `ref-not-found`. Tests assert on it. */
  code: string;
  severity: DiagnosticSeverity;
  message: string;
  /** Path relative to the project root where possible. */
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  /** How to fix it: "did you mean 'orders'?" */
  hint?: string;
}

/** Where something is in a project file. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** A collector of diagnostics passed through a stage. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];

  add(d: Omit<Diagnostic, 'severity'> & { severity?: DiagnosticSeverity }): void {
    this.items.push({ severity: 'error', ...d });
  }

  error(code: string, message: string, where: Partial<SourceLocation> = {}, hint?: string): void {
    this.items.push({ code, severity: 'error', message, ...where, ...(hint ? { hint } : {}) });
  }

  warn(code: string, message: string, where: Partial<SourceLocation> = {}, hint?: string): void {
    this.items.push({ code, severity: 'warn', message, ...where, ...(hint ? { hint } : {}) });
  }

  merge(other: Iterable<Diagnostic>): void {
    for (const d of other) this.items.push(d);
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
}

/**
 * Thrown to abort a stage because of a user mistake that makes going on pointless
 * (e.g. no project file). Carries diagnostics; the CLI prints them and exits 2.
 * Any other thrown Error is a bug in Strata.
 */
export class UserError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic | Diagnostic[]) {
    const list = Array.isArray(diagnostics) ? diagnostics : [diagnostics];
    super(list.map(formatDiagnostic).join('\n'));
    this.name = 'UserError';
    this.diagnostics = list;
  }
}

/** `models/a.sql:3:7: error [ref-not-found] … (hint: …)` */
export function formatDiagnostic(d: Diagnostic): string {
  let where = '';
  if (d.file) where = d.file + (d.line ? `:${d.line}` + (d.column ? `:${d.column}` : '') : '') + ': ';
  return `${where}${d.severity} [${d.code}] ${d.message}${d.hint ? `\n  hint: ${d.hint}` : ''}`;
}

/** 1-based line and column of a character offset in a text. */
export function locate(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lastNewline = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lastNewline = i;
    }
  }
  return { line, column: offset - lastNewline };
}
