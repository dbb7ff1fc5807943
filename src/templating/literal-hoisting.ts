/**
 * A template that is one `{{ expression }}` (a generic test's `{{ test_unique(model=…, column_name='id') }}`,
 * a model that is a single macro call) is compiled once per shape rather than once per file: its string
 * literals become variables. 2,334 not_null tests then share one compiled template instead of 2,334.
 * Strings are read as nunjucks' lexer reads them; dict keys stay literal (nunjucks reads a bare key as a
 * name, not a variable). Anything else (blocks, comments, two expressions) is left alone.
 */
export interface HoistedTemplate {
  template: string;
  /** `__strata_lit_<i>` → the literal's value. */
  values: Record<string, string>;
}

const PREFIX = '__strata_lit_';

function readString(source: string, at: number): { value: string; end: number } | undefined {
  const quote = source[at]!;
  let value = '';
  let i = at + 1;
  while (i < source.length && source[i] !== quote) {
    const c = source[i]!;
    if (c === '\n') return undefined; // would move later lines: keep such templates as written
    if (c === '\\') {
      i++;
      const e = source[i];
      value += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : (e ?? '');
    } else value += c;
    i++;
  }
  return i < source.length ? { value, end: i + 1 } : undefined;
}

export function hoistLiterals(source: string): HoistedTemplate | undefined {
  // nunjucks' regex literals (r/…/) may hold quotes that are not strings: leave such templates alone.
  if (/(^|[^\w.])r\//.test(source)) return undefined;
  const start = source.indexOf('{{');
  if (start < 0 || source.slice(0, start).trim() !== '') return undefined;
  const values: Record<string, string> = {};
  let count = 0;
  let out = '';
  let i = start + 2;
  while (i < source.length) {
    const c = source[i]!;
    if (c === "'" || c === '"') {
      const s = readString(source, i);
      if (!s) return undefined;
      let next = s.end;
      while (next < source.length && /\s/.test(source[next]!)) next++;
      if (source[next] === ':') out += source.slice(i, s.end);
      else {
        const name = `${PREFIX}${count++}`;
        values[name] = s.value;
        out += name;
      }
      i = s.end;
      continue;
    }
    const two = source.slice(i, i + 2);
    if (two === '}}') {
      const rest = source.slice(i + 2);
      if (rest.trim() !== '' || count === 0) return undefined;
      return { template: `${source.slice(0, start + 2)}${out}}}${rest}`, values };
    }
    if (two === '{{' || two === '{%' || two === '%}' || two === '{#' || two === '#}') return undefined;
    out += c;
    i++;
  }
  return undefined;
}
