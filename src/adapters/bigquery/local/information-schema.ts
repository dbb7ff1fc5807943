/**
 * INFORMATION_SCHEMA on the local BigQuery: the rows of COLUMNS, TABLES and SCHEMATA come from the store
 * (so they report the analyzer's column types), and a query over them runs on ZetaSQL's reference
 * evaluator — BigQuery's own semantics for the filter, joins and ordering. The evaluator reads rows only
 * from top-level tables, so each view's path in the SQL is renamed to one.
 */
import type { ZetaSql } from './zetasql-service.js';
import type { AnalyzerSettings } from './analyzer-options.js';
import type { TableStore } from './table-store.js';
import { fieldToType, standardTypeName, type TableField } from './bigquery-types.js';
import { DEFAULT_SESSION_USER, withSessionUser } from './session-user.js';
import { INFORMATION_SCHEMA_VIEWS, TYPE_ALIASES, canonicalName, informationSchemaView } from './analyzer-catalog.js';

type Cell = Record<string, unknown>;
const str = (v: string | undefined): Cell => (v === undefined ? {} : { string_value: v });
const int = (v: number | undefined): Cell => (v === undefined ? {} : { int64_value: String(v) });

/** The datasets a view's qualifier covers: `d` / `p.d` one dataset, `region-x` / `p.region-x` a whole project. */
function scopeOf(segments: string[], project: string): { project: string; dataset?: string } {
  const before = segments.slice(0, segments.findIndex((s) => s.toUpperCase() === 'INFORMATION_SCHEMA'));
  const p = before.length === 2 ? before[0]! : project;
  const last = before.at(-1);
  return last && !/^region-/i.test(last) ? { project: p, dataset: last } : { project: p };
}

function rowsOf(view: string, scope: { project: string; dataset?: string }, store: TableStore): Cell[][] {
  const inScope = (key: string): boolean => key.startsWith(`${scope.project}.${scope.dataset ? `${scope.dataset}.` : ''}`);
  const tables = [...store.tables.entries()].filter(([k]) => k.split('.').length === 3 && inScope(k));
  const names = (k: string): Cell[] => k.split('.').map((s) => str(s));
  if (view === 'TABLES') return tables.map(([k, t]) => [...names(k), str(t.type === 'VIEW' ? 'VIEW' : t.type === 'EXTERNAL' ? 'EXTERNAL' : 'BASE TABLE'), str(t.type === 'TABLE' ? 'YES' : 'NO'), str('NO'), {}, {}, {}, {}, {}, {}, {}, {}]);
  if (view === 'COLUMNS') {
    return tables.flatMap(([k, t]) =>
      t.fields.map((f: TableField, i) => [
        ...names(k), str(f.name), int(i + 1), str(f.mode === 'REQUIRED' ? 'NO' : 'YES'), str(standardTypeName(fieldToType(f))), str('NEVER'), {}, {}, str('NO'), str('NO'), str('NO'),
        str('NO'), t.clustering?.includes(f.name) ? int(t.clustering.indexOf(f.name) + 1) : {}, {}, {}, {},
      ]),
    );
  }
  if (view === 'SCHEMATA') {
    const datasets = new Set([...store.datasets].filter((d) => d.startsWith(`${scope.project}.`)));
    for (const [k] of tables) datasets.add(k.split('.').slice(0, 2).join('.'));
    return [...datasets].map((d) => [str(d.split('.')[0]), str(d.split('.')[1]), {}, {}, {}, {}, {}, {}]);
  }
  return [];
}

/** A BigQuery REST cell value from an evaluator value. */
function restValue(v: Cell): unknown {
  const kind = v.value as string | undefined;
  if (!kind) return null;
  if (kind === 'timestamp_value') {
    const t = v.timestamp_value as { seconds?: string; nanos?: number };
    return `${t.seconds ?? 0}.${String(t.nanos ?? 0).padStart(9, '0')}`;
  }
  if (kind === 'array_value') return ((v.array_value as { element?: Cell[] }).element ?? []).map(restValue);
  return v[kind];
}

/**
 * Rows (cells by position, `columns` of them) of a SELECT that reads only INFORMATION_SCHEMA views (undefined
 * when it reads anything else: this server keeps no table rows).
 */
export async function informationSchemaRows(zs: ZetaSql, settings: AnalyzerSettings, sql: string, paths: string[][], project: string, store: TableStore, columns: number, sessionUser = DEFAULT_SESSION_USER): Promise<unknown[][] | undefined> {
  // (Quoted prefixes such as `p`.`d` of a view's path are no tables: only stored tables count.)
  const reads = paths.filter((p) => informationSchemaView(p) || store.tables.has(canonicalName(p, project)));
  if (!reads.length || !reads.every((p) => informationSchemaView(p))) return undefined;
  const table: { name: string; column: unknown[] }[] = [];
  const content: Record<string, unknown> = {};
  // Any dotted path ending in INFORMATION_SCHEMA.<view>, however it is quoted, becomes a top-level table.
  const rewritten = withSessionUser(sql, sessionUser).replace(/(?:(?:`[^`]+`|[A-Za-z_][\w-]*)\s*\.\s*)*(?:`[^`]*INFORMATION_SCHEMA[^`]*`|INFORMATION_SCHEMA)(?:\s*\.\s*(?:`\w+`|\w+))?/gi, (text) => {
    const segments = text.split(/`\s*\.\s*`|`\s*\.\s*|\s*\.\s*`|\s*\.\s*/).map((s) => s.replace(/`/g, '')).flatMap((s) => s.split('.'));
    const view = informationSchemaView(segments);
    if (!view || !INFORMATION_SCHEMA_VIEWS[view]) return text;
    const name = `strata_information_schema_${table.length}`;
    table.push({ name, column: INFORMATION_SCHEMA_VIEWS[view]!.map((f) => ({ name: f.name, type: fieldToType(f) })) });
    content[name] = { table_data: { row: rowsOf(view, scopeOf(segments, project), store).map((cell) => ({ cell })) } };
    return name;
  });
  const out = await zs.call('evaluateQuery', {
    sql: rewritten,
    options: settings.analyzerOptions([]),
    simple_catalog: { name: 'information_schema', table, named_type: TYPE_ALIASES, builtin_function_options: { language_options: settings.languageOptions } },
    table_content: content,
  });
  return ((out.content?.table_data?.row ?? []) as { cell?: Cell[] }[]).map((r) => Array.from({ length: columns }, (_, i) => restValue(r.cell?.[i] ?? {})));
}
