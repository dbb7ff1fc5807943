/**
 * dbt-duckdb's `external_location` on a source: the source is read in place (`select * from
 * 's3://bucket/orders.parquet'`, `read_csv('flights.csv', …)`) instead of from a table. The location is a
 * pattern over the source's fields (`name`, `identifier`, `schema`, `database`, `tags`) and its `meta` and
 * `config` settings, formatted as dbt-duckdb formats it: `formatter: newstyle` (the default, Python's
 * `str.format`: `{name}`), `oldstyle` (`%(name)s`) or `template` (`${name}`, `$name`). A location that is not
 * a function call and not already quoted is quoted as a string.
 */
import type { Diagnostic } from '../diagnostics/index.js';
import type { SourceDefinition } from './types.js';

type Fields = Record<string, unknown>;

const FORMATTERS = ['newstyle', 'oldstyle', 'template'] as const;

/** The settings dbt-duckdb reads: the source's `meta`, then its `config` (table over source), over its fields. */
function fieldsOf(s: SourceDefinition): Fields {
  const configMeta = s.config.meta && typeof s.config.meta === 'object' ? (s.config.meta as Fields) : {};
  return { name: s.name, identifier: s.identifier, schema: s.schema, database: s.database ?? null, tags: s.tags, ...s.meta, ...configMeta, ...s.config };
}

/** Python's str() of a value, as the formatters write it. */
function text(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === 'string' ? `'${x}'` : text(x))).join(', ')}]`;
  return String(v);
}

class MissingField extends Error {
  constructor(readonly field: string) {
    super(field);
  }
}

const lookup = (fields: Fields, key: string): string => {
  if (!(key in fields)) throw new MissingField(key);
  return text(fields[key]);
};

/** `str.format_map`: `{key}`, `{{` and `}}`; a field with a format spec or attribute is refused as unsupported. */
function newstyle(pattern: string, fields: Fields): string {
  return pattern.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (m, key: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    return lookup(fields, key!);
  });
}

/** `%` formatting: `%(key)s` and `%%`. */
function oldstyle(pattern: string, fields: Fields): string {
  return pattern.replace(/%%|%\(([^)]*)\)s/g, (m, key: string | undefined) => (m === '%%' ? '%' : lookup(fields, key!)));
}

/** `string.Template`: `$key`, `${key}` and `$$`. */
function template(pattern: string, fields: Fields): string {
  return pattern.replace(/\$\$|\$\{([_a-zA-Z][_a-zA-Z0-9]*)\}|\$([_a-zA-Z][_a-zA-Z0-9]*)/g, (m, braced: string | undefined, bare: string | undefined) => (m === '$$' ? '$' : lookup(fields, (braced ?? bare)!)));
}

/**
 * The SQL a DuckDB source with `external_location` is read as, or a diagnostic. Undefined when the source has
 * none.
 */
export function externalLocationOf(s: SourceDefinition): { sql?: string; diagnostic?: Diagnostic } {
  const fields = fieldsOf(s);
  const pattern = fields.external_location;
  if (pattern === undefined || pattern === null) return {};
  const where = { file: s.originalFilePath, ...(s.at?.line ? { line: s.at.line } : {}) };
  const what = `source ${s.sourceName}.${s.name}`;
  if (typeof pattern !== 'string' || !pattern.trim()) {
    return { diagnostic: { code: 'source-external-location-invalid', severity: 'error', message: `external_location of ${what} must be a path or a table function call`, ...where, hint: "e.g. external_location: 'data/{name}.parquet'" } };
  }
  const formatter = String(fields.formatter ?? 'newstyle');
  if (!(FORMATTERS as readonly string[]).includes(formatter)) {
    return { diagnostic: { code: 'source-external-location-invalid', severity: 'error', message: `formatter '${formatter}' of ${what} is not one of ${FORMATTERS.join(', ')}`, ...where, hint: 'newstyle formats {name}, oldstyle %(name)s, template ${name}' } };
  }
  let location: string;
  try {
    location = formatter === 'oldstyle' ? oldstyle(pattern, fields) : formatter === 'template' ? template(pattern, fields) : newstyle(pattern, fields);
  } catch (e) {
    if (!(e instanceof MissingField)) throw e;
    const hint = formatter === 'newstyle' && /[{}]/.test(pattern.replace(/\{\{|\}\}/g, ''))
      ? `set '${e.field}' under the source's meta: or config:, or, if those braces are not a field (a read_csv types={…} argument), set formatter: oldstyle or template`
      : `set '${e.field}' under the source's meta: or config:, or write the location without it`;
    return { diagnostic: { code: 'source-external-location-invalid', severity: 'error', message: `external_location of ${what} names '${e.field}', which is not a field of the source (name, identifier, schema, database, tags) nor a meta or config setting`, ...where, hint } };
  }
  // As dbt-duckdb: a function call or a quoted string is SQL already; anything else is a path.
  const sql = location.includes('(') || location.startsWith("'") ? location : `'${location.replace(/'/g, "''")}'`;
  return { sql };
}
