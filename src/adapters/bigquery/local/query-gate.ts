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
import { buildCatalog, canonicalName, informationSchemaView, TYPE_ALIASES } from './analyzer-catalog.js';
import { detailsOf, jobError, lineColumn, type GateError } from './gate-messages.js';
import { ScriptSchemas } from './script-schemas.js';
import { parseScript, unpatched } from './script-parse.js';
import { attr, expressionType, leaf, type ResolvedNode } from './resolved-ast.js';
import { engineCheck } from './engine-checks.js';
import { schemaEffects, type SchemaEffect } from './statement-effects.js';
import { replaceRefusal, type PartitionedTable } from './partition-layout.js';
import { partitionFilterRefusal } from './partition-filter.js';

export interface GateContext {
  /** The project the job runs in: two-part names resolve to it. */
  project: string;
  location: string;
  parameters: { name: string; type: TypeProto }[];
  /** The columns of a table or view the warehouse holds (`project.dataset.table`). */
  columnsOf(key: string): TableField[] | undefined;
  /** A table's partitioning, clustering and `require_partition_filter` (undefined: no such table, or a view). */
  tableOf?(key: string): PartitionedTable | undefined;
}

export interface AnalyzedStatement {
  node: ResolvedNode;
  /** The statement's text. */
  text: string;
  /** Where the text starts in the analyzed SQL, in bytes (the resolved AST's parse locations count from there). */
  offset?: number;
  effects: SchemaEffect[];
  inTransaction: boolean;
  /**
   * A DECLARE or SET of the script (node kind `script_declare` / `script_set`): names, type and value as written,
   * and the value's resolved expression (its parse locations count from the value's start), for its typed sites.
   */
  variable?: { names: string[]; type?: string; value?: string; resolved?: unknown };
}


export type { GateError } from './gate-messages.js';

export interface GateOutcome {
  statements: AnalyzedStatement[];
  /** Names of every table the job reads or writes, canonical. */
  tables: string[];
  /** Table paths as the SQL writes them. */
  paths: string[][];
  error?: GateError;
}

const PATH_PART = '(?:`[^`]+`|[A-Za-z_][\\w-]*)';
const ALTER_TARGET = new RegExp(`\\balter\\s+table\\s+(?:if\\s+exists\\s+)?(${PATH_PART}(?:\\s*\\.\\s*${PATH_PART})*)`, 'gi');

/**
 * Table paths as the SQL writes them: the analyzer's extraction, plus every backquoted path and every ALTER
 * TABLE target, quoted or not (the extraction leaves out some DDL targets, as ALTER TABLE's).
 */
async function namedPaths(zs: ZetaSql, settings: AnalyzerSettings, sql: string): Promise<string[][]> {
  const named = await zs.call('extractTableNamesFromStatement', { sql_statement: sql, allow_script: true, options: settings.languageOptions });
  const quoted = [...sql.matchAll(/`[^`]+`(?:\.`[^`]+`)*/g)].map((m) => m[0].slice(1, -1).split('`.`'));
  const altered = [...sql.matchAll(ALTER_TARGET)].map((m) => [...m[1]!.matchAll(new RegExp(PATH_PART, 'g'))].map((p) => p[0].replace(/`/g, '')));
  return [...((named.table_name ?? []) as { table_name_segment: string[] }[]).map((t) => t.table_name_segment), ...quoted, ...altered];
}

/**
 * A `create temp function` as the catalog's function for the rest of the script: its name and the signature
 * the analyzer resolved (argument types, return type declared or inferred). Persistent functions are not
 * kept (the local server refuses to create them).
 */
const TEMPLATED = Symbol('templated');

function rangeOf(wrapper: any): { start: number; end: number } {
  const n = leaf(wrapper);
  const r = n ? attr(n.body, 'parse_location_range') : undefined;
  return { start: Number(r?.start ?? 0), end: Number(r?.end ?? 0) };
}


function scriptFunction(node: ResolvedNode): unknown {
  if (node.kind !== 'resolved_create_function_stmt_node' || attr(node.body, 'create_scope') !== 'CREATE_TEMP') return undefined;
  const signature = attr(node.body, 'signature') as { argument?: { type?: unknown }[]; return_type?: { type?: unknown } } | undefined;
  if (!signature?.return_type?.type || (signature.argument ?? []).some((a) => !a.type)) return TEMPLATED;
  const aggregate = attr(node.body, 'is_aggregate') === true;
  return { name_path: attr(node.body, 'name_path'), group: 'temp_udf', mode: aggregate ? 'AGGREGATE' : 'SCALAR', signature: [signature] };
}

/** BigQuery refuses a view whose query calls a temp function (the view would outlive it). */
function tempFunctionInView(node: ResolvedNode, functions: unknown[]): string | undefined {
  if (!functions.length || !/create_(view|materialized_view)_stmt_node$/.test(node.kind)) return undefined;
  const called = /"name":"temp_udf:([^"]+)"/.exec(JSON.stringify(node.body));
  return called ? `Temporary function ${called[1]} cannot be referenced in a view definition` : undefined;
}

/** One script's analysis: its variables, its view of the warehouse, the statements accepted so far. */
class ScriptAnalysis {
  readonly bytes: Buffer;
  readonly statements: AnalyzedStatement[] = [];
  private readonly options: Record<string, unknown>;
  private readonly schemas: ScriptSchemas;
  private readonly constants: { name: string; type: TypeProto }[] = [];
  /** The script's temp functions so far (`create temp function`), callable by its later statements. */
  private readonly functions: unknown[] = [];
  private inTransaction = false;

  constructor(private readonly zs: ZetaSql, private readonly settings: AnalyzerSettings, private readonly sql: string, private readonly paths: string[][], private readonly ctx: GateContext) {
    this.bytes = Buffer.from(sql, 'utf8');
    this.options = settings.analyzerOptions(ctx.parameters);
    this.schemas = new ScriptSchemas(ctx);
  }

  private catalog(): Record<string, unknown> {
    return buildCatalog({ paths: this.paths, columnsOf: (p) => this.schemas.columnsOf(p), fullName: (p) => this.schemas.keyOf(p), constants: this.constants, functions: this.functions, languageOptions: this.settings.languageOptions });
  }

  /** An expression of a script statement (a DEFAULT, a SET's value): its type and resolved expression, or BigQuery's error placed in the script. */
  private async expression(wrapper: any): Promise<{ type: TypeProto; resolved: unknown } | GateError> {
    const { start, end } = rangeOf(wrapper);
    try {
      const out = await this.zs.call('analyze', { simple_catalog: this.catalog(), options: this.options, sql_expression: this.bytes.subarray(start, end).toString('utf8') });
      return { type: expressionType(out.resolved_expression) ?? { type_kind: 'TYPE_STRING' }, resolved: leaf(out.resolved_expression)?.body };
    } catch (e) {
      return jobError(detailsOf(e), this.ctx, lineColumn(this.bytes, start));
    }
  }

  /** The declared type (`cast(null as <type>)` gives the analyzer's TypeProto), else the default's. */
  private async declaration(body: any): Promise<GateError | undefined> {
    let typed: TypeProto | GateError | undefined;
    if (body.type) {
      const { start, end } = rangeOf(body.type);
      try {
        const out = await this.zs.call('analyze', { simple_catalog: { name: 'types', named_type: TYPE_ALIASES }, options: this.options, sql_expression: `cast(null as ${this.bytes.subarray(start, end).toString('utf8')})` });
        typed = expressionType(out.resolved_expression);
      } catch (e) {
        typed = jobError(detailsOf(e), this.ctx, lineColumn(this.bytes, start));
      }
    }
    const byDefault = body.default_value ? await this.expression(body.default_value) : undefined;
    if (typed && 'reason' in typed) return typed;
    if (byDefault && 'reason' in byDefault) return byDefault;
    const type = (typed as TypeProto | undefined) ?? byDefault?.type ?? { type_kind: 'TYPE_INT64' };
    const names: string[] = (body.variable_list?.identifier_list ?? []).map((id: { id_string: string }) => id.id_string);
    for (const name of names) this.constants.push({ name, type });
    this.step('script_declare', body, { names, type: body.type ? this.slice(body.type) : undefined, value: body.default_value ? this.slice(body.default_value) : undefined, resolved: byDefault?.resolved });
    return undefined;
  }

  private slice(wrapper: any): string {
    const { start, end } = rangeOf(wrapper);
    return this.bytes.subarray(start, end).toString('utf8');
  }

  /** A DECLARE or SET, kept for execution (no schema effect). */
  private step(kind: string, body: any, variable: NonNullable<AnalyzedStatement['variable']>): void {
    const r = attr(body, 'parse_location_range');
    this.statements.push({ node: { kind, body }, text: this.bytes.subarray(Number(r?.start ?? 0), Number(r?.end ?? 0)).toString('utf8'), effects: [], inTransaction: this.inTransaction, variable });
  }

  /** A statement of the script, analyzed in place (positions count in the whole script), then the engine rules. */
  private async statement(start: number, end: number): Promise<GateError | undefined> {
    let resolved: ResolvedNode;
    try {
      const out = await this.zs.call('analyze', { simple_catalog: this.catalog(), options: this.options, parse_resume_location: { input: this.sql, byte_position: start, allow_resume: true } });
      resolved = leaf(out.resolved_statement)!;
    } catch (e) {
      return jobError(detailsOf(e), this.ctx);
    }
    const refused = engineCheck(resolved) ?? tempFunctionInView(resolved, this.functions) ?? this.partitionRules(resolved);
    if (refused) {
      const at = lineColumn(this.bytes, start);
      return { reason: 'invalidQuery', message: `${refused} at [${at.line}:${at.column}]` };
    }
    if (resolved.kind === 'resolved_begin_stmt_node') this.inTransaction = true;
    const udf = scriptFunction(resolved);
    if (udf === TEMPLATED) return { reason: 'notImplemented', message: 'The local BigQuery does not support templated functions (an argument of type ANY TYPE); BigQuery does' };
    if (udf) this.functions.push(udf);
    const effects = schemaEffects(resolved, this.ctx.project);
    this.schemas.apply(effects);
    this.statements.push({ node: resolved, text: this.bytes.subarray(start, end).toString('utf8'), offset: start, effects, inTransaction: this.inTransaction });
    if (resolved.kind === 'resolved_commit_stmt_node' || resolved.kind === 'resolved_rollback_stmt_node') this.inTransaction = false;
    return undefined;
  }

  /** BigQuery's rules on partitioned tables: a replace keeps the spec; `require_partition_filter` is honoured. */
  private partitionRules(resolved: ResolvedNode): string | undefined {
    const path = attr(resolved.body, 'name_path') as string[] | undefined;
    const target = path && /^resolved_create_table/.test(resolved.kind) ? this.schemas.tableOf(this.schemas.keyOf(path)) : undefined;
    return replaceRefusal(resolved, target) ?? partitionFilterRefusal(resolved, (name) => this.schemas.tableOf(name));
  }

  /** One parsed statement of the script: variables become constants, the rest is analyzed. */
  async next(wrapper: any): Promise<GateError | undefined> {
    const ast = leaf(wrapper)!;
    if (ast.kind === 'ast_variable_declaration_node') return this.declaration(ast.body);
    if (ast.kind === 'ast_single_assignment_node') {
      const r = await this.expression(ast.body.expression);
      if ('reason' in r) return r;
      this.step('script_set', ast.body, { names: [ast.body.variable?.id_string], value: this.slice(ast.body.expression), resolved: r.resolved });
      return undefined;
    }
    const { start, end } = rangeOf(wrapper);
    return this.statement(start, end);
  }
}

/** Analyzes a job's SQL; stops at the first statement BigQuery would refuse. */
export async function analyzeJob(zs: ZetaSql, settings: AnalyzerSettings, original: string, ctx: GateContext): Promise<GateOutcome> {
  const { parsed, sql, inserted, error } = await parseScript(zs, settings, original);
  if (error) return { statements: [], tables: [], paths: [], error: { reason: 'invalidQuery', message: unpatched(error, inserted) } };
  const paths = await namedPaths(zs, settings, sql);
  const tables = [...new Set(paths.filter((p) => !informationSchemaView(p) && p.flatMap((s) => s.split('.')).length > 1).map((p) => canonicalName(p, ctx.project)))];
  const script = new ScriptAnalysis(zs, settings, sql, paths, ctx);
  for (const wrapper of (parsed.parsed_script?.statement_list_node?.statement_list ?? []) as any[]) {
    const refused = await script.next(wrapper);
    if (refused) return { statements: script.statements, tables, paths, error: { ...refused, message: unpatched(refused.message, inserted) } };
  }
  return { statements: script.statements, tables, paths };
}
