/**
 * Every query job through BigQuery's analyzer before it may run. A script is split statement by statement
 * (ZetaSQL's Parse with scripting); each statement is analyzed against a catalog of the tables it names
 * as the warehouse holds them at that point of the script; DECLAREd variables become constants. An
 * analyzer error comes back as BigQuery answers an invalid query: reason and message with `at [line:col]`
 * in the job's SQL.
 */
import type { ZetaSql } from './zetasql-service.js';
import type { AnalyzerSettings } from './analyzer-options.js';
import type { TableField, TypeProto } from './bigquery-types.js';
import { buildCatalog, canonicalName, informationSchemaView, INFORMATION_SCHEMA_VIEWS, TYPE_ALIASES } from './analyzer-catalog.js';
import { attr, expressionType, leaf, type ResolvedNode } from './resolved-ast.js';
import { engineCheck } from './engine-checks.js';
import { schemaEffects, type SchemaEffect } from './statement-effects.js';

export interface GateContext {
  /** The project the job runs in: two-part names resolve to it. */
  project: string;
  location: string;
  parameters: { name: string; type: TypeProto }[];
  /** The columns of a table or view the warehouse holds (`project.dataset.table`). */
  columnsOf(key: string): TableField[] | undefined;
}

export interface AnalyzedStatement {
  node: ResolvedNode;
  /** The statement's text, and its byte range in the job's SQL. */
  text: string;
  effects: SchemaEffect[];
  inTransaction: boolean;
}

export interface GateError {
  reason: 'invalidQuery' | 'notFound';
  message: string;
}

export interface GateOutcome {
  statements: AnalyzedStatement[];
  /** Names of every table the job reads or writes, canonical. */
  tables: string[];
  /** Table paths as the SQL writes them. */
  paths: string[][];
  error?: GateError;
}

/** `msg [at 3:8]` (ZetaSQL) → BigQuery's `msg at [3:8]`, optionally moved by a snippet's start position. */
function bigQueryMessage(details: string, origin?: { line: number; column: number }): { message: string; line?: number; column?: number } {
  const m = /^(.*?)\s*\[at (\d+):(\d+)\]$/s.exec(details.trim());
  if (!m) return { message: details.trim() };
  let line = Number(m[2]);
  let column = Number(m[3]);
  if (origin) {
    if (line === 1) column += origin.column - 1;
    line += origin.line - 1;
  }
  return { message: `${m[1]} at [${line}:${column}]`, line, column };
}

function lineColumn(bytes: Buffer, offset: number): { line: number; column: number } {
  const before = bytes.subarray(0, offset).toString('utf8');
  const lines = before.split('\n');
  return { line: lines.length, column: lines.at(-1)!.length + 1 };
}

function rangeOf(wrapper: any): { start: number; end: number } {
  const n = leaf(wrapper);
  const r = n ? attr(n.body, 'parse_location_range') : undefined;
  return { start: Number(r?.start ?? 0), end: Number(r?.end ?? 0) };
}

/** An analyzer refusal as BigQuery's job error: a missing table is `notFound`, the rest `invalidQuery`. */
function jobError(details: string, ctx: GateContext, origin?: { line: number; column: number }): GateError {
  const missing = /^Table not found: (.+?) (?:\[at|$)/.exec(details);
  if (missing) {
    const [p, d, t] = canonicalName([missing[1]!.replace(/`/g, '')], ctx.project).split('.');
    if (t) return { reason: 'notFound', message: `Not found: Table ${p}:${d}.${t} was not found in location ${ctx.location}` };
  }
  return { reason: 'invalidQuery', message: bigQueryMessage(details, origin).message };
}

/** A script's view of the warehouse: the store plus what earlier statements of the script changed. */
class ScriptSchemas {
  private readonly changed = new Map<string, TableField[] | null>();
  constructor(private readonly ctx: GateContext) {}

  columnsOf(path: string[]): TableField[] | undefined {
    const view = informationSchemaView(path);
    if (view) return INFORMATION_SCHEMA_VIEWS[view];
    const key = path.length === 1 && !path[0]!.includes('.') ? path[0]! : canonicalName(path, this.ctx.project);
    if (this.changed.has(key)) return this.changed.get(key) ?? undefined;
    return this.ctx.columnsOf(key);
  }

  apply(effects: SchemaEffect[]): void {
    for (const e of effects) {
      if (e.op === 'create' && !(e.ifNotExists && this.columnsOf(e.key.split('.')))) this.changed.set(e.key, e.fields);
      if (e.op === 'drop') this.changed.set(e.key, null);
      if (e.op === 'rename') {
        this.changed.set(e.to, this.columnsOf(e.key.split('.')) ?? []);
        this.changed.set(e.key, null);
      }
      if (e.op === 'add-columns') {
        const had = this.columnsOf(e.key.split('.')) ?? [];
        this.changed.set(e.key, [...had, ...e.fields.filter((f) => !had.some((h) => h.name.toLowerCase() === f.name.toLowerCase()))]);
      }
    }
  }
}

/** Analyzes a job's SQL; stops at the first statement BigQuery would refuse. */
export async function analyzeJob(zs: ZetaSql, settings: AnalyzerSettings, sql: string, ctx: GateContext): Promise<GateOutcome> {
  const bytes = Buffer.from(sql, 'utf8');
  const options = settings.analyzerOptions(ctx.parameters);
  let parsed: any;
  try {
    parsed = await zs.call('parse', { sql_statement: sql, allow_script: true, options: settings.languageOptions });
  } catch (e) {
    return { statements: [], tables: [], paths: [], error: { reason: 'invalidQuery', message: bigQueryMessage(String((e as { details?: string }).details ?? e)).message } };
  }
  const named = await zs.call('extractTableNamesFromStatement', { sql_statement: sql, allow_script: true, options: settings.languageOptions });
  // The analyzer's extraction leaves out some DDL targets (ALTER TABLE): add every backquoted path as written.
  const quoted = [...sql.matchAll(/`[^`]+`(?:\.`[^`]+`)*/g)].map((m) => m[0].slice(1, -1).split('`.`'));
  const paths = [...((named.table_name ?? []) as { table_name_segment: string[] }[]).map((t) => t.table_name_segment), ...quoted];
  const tables = [...new Set(paths.filter((p) => p.length > 1 || p[0]!.includes('.')).filter((p) => !informationSchemaView(p) && p.flatMap((s) => s.split('.')).length > 1).map((p) => canonicalName(p, ctx.project)))];
  const schemas = new ScriptSchemas(ctx);
  const constants: { name: string; type: TypeProto }[] = [];
  const statements: AnalyzedStatement[] = [];
  let inTransaction = false;
  const catalog = () => buildCatalog({ paths, columnsOf: (p) => schemas.columnsOf(p), constants, languageOptions: settings.languageOptions });
  const expression = async (wrapper: any): Promise<TypeProto | GateError> => {
    const { start, end } = rangeOf(wrapper);
    try {
      const out = await zs.call('analyze', { simple_catalog: catalog(), options, sql_expression: bytes.subarray(start, end).toString('utf8') });
      return expressionType(out.resolved_expression) ?? { type_kind: 'TYPE_STRING' };
    } catch (e) {
      return jobError(String((e as { details?: string }).details ?? e), ctx, lineColumn(bytes, start));
    }
  };
  for (const wrapper of (parsed.parsed_script?.statement_list_node?.statement_list ?? []) as any[]) {
    const ast = leaf(wrapper)!;
    const { start, end } = rangeOf(wrapper);
    if (ast.kind === 'ast_variable_declaration_node') {
      // The declared type, else the default's: `cast(null as <type>)` gives the analyzer's TypeProto.
      const typed = ast.body.type ? await typeOf(zs, options, bytes, ast.body.type) : undefined;
      const byDefault = ast.body.default_value ? await expression(ast.body.default_value) : undefined;
      for (const r of [typed, byDefault]) if (r && 'reason' in r) return { statements, tables, paths, error: r };
      const type = (typed ?? byDefault) as TypeProto | undefined;
      for (const id of ast.body.variable_list?.identifier_list ?? []) constants.push({ name: id.id_string, type: type ?? { type_kind: 'TYPE_INT64' } });
      continue;
    }
    if (ast.kind === 'ast_single_assignment_node') {
      const r = await expression(ast.body.expression);
      if ('reason' in r) return { statements, tables, paths, error: r };
      continue;
    }
    let resolved: ResolvedNode;
    try {
      const out = await zs.call('analyze', { simple_catalog: catalog(), options, parse_resume_location: { input: sql, byte_position: start, allow_resume: true } });
      resolved = leaf(out.resolved_statement)!;
    } catch (e) {
      return { statements, tables, paths, error: jobError(String((e as { details?: string }).details ?? e), ctx) };
    }
    const refused = engineCheck(resolved);
    if (refused) {
      const at = lineColumn(bytes, start);
      return { statements, tables, paths, error: { reason: 'invalidQuery', message: `${refused} at [${at.line}:${at.column}]` } };
    }
    if (resolved.kind === 'resolved_begin_stmt_node') inTransaction = true;
    const effects = schemaEffects(resolved, ctx.project);
    schemas.apply(effects);
    statements.push({ node: resolved, text: bytes.subarray(start, end).toString('utf8'), effects, inTransaction });
    if (resolved.kind === 'resolved_commit_stmt_node' || resolved.kind === 'resolved_rollback_stmt_node') inTransaction = false;
  }
  return { statements, tables, paths };
}

async function typeOf(zs: ZetaSql, options: unknown, bytes: Buffer, typeWrapper: any): Promise<TypeProto | GateError> {
  const { start, end } = rangeOf(typeWrapper);
  try {
    const out = await zs.call('analyze', { simple_catalog: { name: 'types', named_type: TYPE_ALIASES }, options, sql_expression: `cast(null as ${bytes.subarray(start, end).toString('utf8')})` });
    return expressionType(out.resolved_expression) ?? { type_kind: 'TYPE_STRING' };
  } catch (e) {
    return { reason: 'invalidQuery', message: bigQueryMessage(String((e as { details?: string }).details ?? e)).message };
  }
}
