/**
 * Templates that are one `{{ expression }}` (every generic test: `{{ test_x(model=…, column_name='id') }}`)
 * differ only in their string literals. Each is compiled once per shape: the literals become names
 * (`__strata_lit0`, …) whose values the render is given, as Jinja would have read them.
 */
import { decodeEscapes } from './jinja/lexer.js';

export interface LiteralShape {
  /** The template with each string literal replaced by a name. */
  shape: string;
  values: Record<string, string>;
}

const ONE_EXPRESSION = /^\{\{[^{}%#]*\}\}$/;
const STRING = /'([^'\\]*(?:\\.[^'\\]*)*)'|"([^"\\]*(?:\\.[^"\\]*)*)"/g;

export function literalShape(source: string): LiteralShape | undefined {
  if (!ONE_EXPRESSION.test(source) || (!source.includes("'") && !source.includes('"'))) return undefined;
  const values: Record<string, string> = {};
  let n = 0;
  // Adjacent literals ('a' 'b') are one value in Jinja: keep those templates as they are.
  if (/['"]\s*['"]/.test(source.replace(STRING, (m) => m.replace(/./g, 'x')))) return undefined;
  const shape = source.replace(STRING, (_m, single: string | undefined, double: string | undefined) => {
    const name = `__strata_lit${n++}`;
    values[name] = decodeEscapes(single ?? double ?? '');
    return name;
  });
  return { shape, values };
}
