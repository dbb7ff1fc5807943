/** Errors of the Jinja engine, named after the Python exceptions Jinja2 raises. */
export type JinjaErrorKind = 'syntax' | 'undefined' | 'type' | 'zero-division' | 'value' | 'key' | 'index' | 'attribute' | 'runtime' | 'security';

export class JinjaError extends Error {
  /** Template (file) name and 1-based line where it was raised; set by the innermost template that sees it. */
  override name = 'JinjaError';
  file?: string;
  constructor(
    readonly kind: JinjaErrorKind,
    message: string,
    public line?: number,
  ) {
    super(message);
  }
}

/** Adds the location of the template that saw an error first (the innermost frame). */
export function locateError(e: unknown, file: string | undefined, line: number): unknown {
  if (e && typeof e === 'object') {
    const err = e as { templateLine?: number; templateFile?: string; line?: number; file?: string };
    if (e instanceof JinjaError) {
      if (e.line === undefined) e.line = line;
      if (e.file === undefined) e.file = file;
    } else if (err.templateLine === undefined && !(e as { isControlSignal?: boolean }).isControlSignal) {
      try {
        err.templateLine = line;
        err.templateFile = file;
      } catch {
        // frozen error objects: keep them as they are
      }
    }
  }
  return e;
}
