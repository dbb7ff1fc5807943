/**
 * JSON_EXTRACT_SCALAR and JSON_VALUE on JSON text as BigQuery computes them: the value at a JSONPath
 * (`$`, `.name`, `['name']`, `."name"`, `[0]`) when it is a scalar — a string unescaped, a number as
 * written in the text (`1.50`, `1e2`), `true` / `false` — and NULL for an object, an array, a JSON null, a
 * missing member or text that is not JSON up to the value. DuckDB's json_extract_string gave an object's or array's text
 * and rewrote numbers (`1.5`, `100.0`). Registered as a DuckDB scalar function written in TypeScript: the
 * scanner keeps each value's source text.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

/** A JSON value's kind and where its text is: [start, end). */
interface Found {
  kind: 'object' | 'array' | 'string' | 'number' | 'literal';
  start: number;
  end: number;
}

/** A JSONPath as member names and array indexes; undefined when it is not one BigQuery reads this way. */
export function jsonPath(path: string): (string | number)[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const steps: (string | number)[] = [];
  const step = /^(?:\.([A-Za-z_][\w$-]*)|\.?"((?:[^"\\]|\\.)*)"|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]|\[\s*(\d+)\s*\])/;
  for (let rest = path.slice(1); rest; ) {
    const m = step.exec(rest);
    if (!m) return undefined;
    steps.push(m[5] !== undefined ? Number(m[5]) : (m[1] ?? m[2] ?? m[3] ?? m[4])!.replace(/\\(.)/g, '$1'));
    rest = rest.slice(m[0].length);
  }
  return steps;
}

/** Scans JSON text: each value's kind and span, and the members or elements inside a container. */
class Scanner {
  i = 0;
  constructor(private readonly s: string) {}

  private space(): void {
    while (/\s/.test(this.s[this.i] ?? '')) this.i++;
  }

  private fail(): never {
    throw new SyntaxError('not JSON');
  }

  /**
   * The value at the cursor; `visit` sees each member (by name) or element (by index) of a container, and
   * ends the scan when it returns true: like BigQuery's, the reading stops at the value it looks for, so
   * text after it is not checked.
   */
  value(visit?: (key: string | number, v: Found) => boolean): Found {
    this.space();
    const start = this.i;
    const c = this.s[this.i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      this.i++;
      this.space();
      for (let k = 0; this.s[this.i] !== close; k++) {
        if (k > 0) (this.s[this.i] === ',' ? this.i++ : this.fail());
        let key: string | number = k;
        if (c === '{') {
          this.space();
          const name = this.value();
          if (name.kind !== 'string') this.fail();
          key = JSON.parse(this.s.slice(name.start, name.end)) as string;
          this.space();
          if (this.s[this.i++] !== ':') this.fail();
        }
        const v = this.value();
        if (visit?.(key, v)) return v;
        this.space();
        if (this.i >= this.s.length) this.fail();
      }
      this.i++;
      return { kind: c === '{' ? 'object' : 'array', start, end: this.i };
    }
    const m = /^(?:"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.s.slice(this.i));
    if (!m) this.fail();
    this.i += m[0].length;
    return { kind: m[0][0] === '"' ? 'string' : /^[-\d]/.test(m[0]) ? 'number' : 'literal', start, end: this.i };
  }
}

/** The scalar at `path` in `json` as BigQuery's JSON_EXTRACT_SCALAR gives it, or null. */
export function jsonScalar(json: string, path: (string | number)[]): string | null {
  let text = json;
  for (const step of path) {
    let found: Found | undefined;
    try {
      const scanner = new Scanner(text);
      scanner.value((key, v) => (key === step ? ((found = v), true) : false));
    } catch {
      return null;
    }
    if (!found) return null;
    text = text.slice(found.start, found.end);
  }
  let whole: Found;
  try {
    const scanner = new Scanner(text);
    whole = scanner.value();
  } catch {
    return null;
  }
  const raw = text.slice(whole.start, whole.end);
  if (whole.kind === 'string') return JSON.parse(raw) as string;
  if (whole.kind === 'number' || raw === 'true' || raw === 'false') return raw;
  return null;
}

/** Registers `strata_bq_json_scalar(json, path)` (VARCHAR in and out) on the warehouse's connection. */
export async function registerJsonScalar(connection: DuckDBConnection): Promise<void> {
  const { DuckDBScalarFunction, VARCHAR } = await import('@duckdb/node-api');
  connection.registerScalarFunction(
    DuckDBScalarFunction.create({
      name: 'strata_bq_json_scalar',
      returnType: VARCHAR,
      parameterTypes: [VARCHAR, VARCHAR],
      mainFunction: (info, input, output) => {
        const [a, b] = [input.getColumnVector(0), input.getColumnVector(1)];
        for (let row = 0; row < input.rowCount; row++) {
          const [json, text] = [a.getItem(row), b.getItem(row)] as (string | null)[];
          const path = text === null ? undefined : jsonPath(text);
          if (text !== null && !path) return info.setError(`Invalid JSONPath: ${text}`);
          output.setItem(row, json === null || !path ? null : jsonScalar(json, path));
        }
        output.flush();
      },
    }),
  );
}
