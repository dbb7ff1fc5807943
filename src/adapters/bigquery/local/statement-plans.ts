/**
 * Each statement the analyzer accepted, as the DuckDB statements that do the same to the rows. Tables are
 * created with the analyzer's column types (the query's rows are staged, then inserted with casts), so
 * the data keeps BigQuery's types whatever DuckDB would have inferred. PARTITION BY, CLUSTER BY and
 * OPTIONS change no rows and are dropped; GRANT, REVOKE and column options are no-ops on data.
 */
import type { AnalyzedStatement } from './query-gate.js';
import type { SchemaEffect } from './statement-effects.js';
import { tokenize, topLevelAs, wordOf, type Token } from './sql-tokens.js';
import { quoteIdent, translateRange, Untranslatable, type TranslateContext } from './to-duckdb.js';
import { refuseTypedGaps } from './typed-gaps.js';
import { columnDefinitions, duckRelation } from './duckdb-warehouse.js';
import { functionPlan } from './function-plans.js';
import { statementAnalyticCalls, typedSites } from './typed-sites.js';
import { rangeValues } from './range-variables.js';
import { refuseBignumericScale } from './bignumeric-scale.js';
import { sortsByFloat } from './nan-order.js';
import { refuseOffsetRowValues, unnestElements } from './unnest-forms.js';
import { refuseStructRenames, structLiterals } from './struct-names.js';
import { stagedArrayChecks, writtenArrayChecks } from './array-checks.js';
import { attr, leaf, outputFields } from './resolved-ast.js';
import { hasUsing, inAnalyzerOrder } from './using-order.js';

export interface Plan {
  /** DuckDB statements, in order. */
  sql: string[];
  /** The last statement returns the job's rows. */
  query?: boolean;
  /** Count the rows the statements change (DML). */
  dml?: boolean;
  /** Only when the target does not exist yet (CREATE … IF NOT EXISTS). */
  unlessExists?: string;
  /** Catalogs (projects) the statements need. */
  projects: string[];
  /** A query run first: any row means BigQuery would refuse the statement with this message. */
  refuseIf?: { sql: string; message: string };
  /** Run in a transaction of their own unless the script is in one (a write followed by its checks). */
  atomic?: boolean;
  /** Temp macros the statements create (a temp function's), dropped when the job ends. */
  macros?: string[];
  /** The query's columns as the analyzer names them, in its order (a `select *` over a join USING): using-order.ts. */
  reorder?: string[];
}

/**
 * BigQuery refuses a MERGE whose ON matches a target row to several source rows (DuckDB would apply
 * each): `merge [into] T [as] A using S [as] B on … when matched …` is checked first.
 */
function mergeCheck(tokens: Token[], ctx: TranslateContext): Plan['refuseIf'] {
  const sig = tokens.map((t, i) => [t, i] as const).filter(([t]) => t.kind !== 'space' && t.kind !== 'comment');
  const at = (word: string, from = 0): number => {
    let depth = 0;
    for (let k = from; k < sig.length; k++) {
      const [t] = sig[k]!;
      if (t.kind === 'punct' && t.text === '(') depth++;
      else if (t.kind === 'punct' && t.text === ')') depth--;
      else if (depth === 0 && wordOf(t) === word) return k;
    }
    return -1;
  };
  const using = at('using');
  const on = at('on', using);
  const when = at('when', on);
  const matched = sig.some(([t], k) => k > when && wordOf(t) === 'matched' && wordOf(sig[k - 1]![0]) === 'when');
  if (using < 0 || on < 0 || when < 0 || !matched) return undefined;
  const part = (from: number, to: number): string => translateRange(tokens, sig[from]![1], sig[to]![1], ctx).trim();
  const start = wordOf(sig[1]?.[0]) === 'into' ? 2 : 1;
  const target = part(start, using);
  const source = part(using + 1, on);
  const targetAlias = /\s(?:as\s+)?("[^"]+"|\w+)$/i.exec(target)?.[1] ?? target;
  return {
    sql: `select 1 from ${target} join ${source} on ${part(on + 1, when)} group by ${targetAlias}.rowid having count(*) > 1 limit 1`,
    message: 'UPDATE/MERGE must match at most one source row for each target row',
  };
}

function projectOf(key: string): string[] {
  return key.split('.').length === 3 ? [key.split('.')[0]!] : [];
}

function createPlan(s: AnalyzedStatement, e: Extract<SchemaEffect, { op: 'create' }>, ctx: TranslateContext): Plan {
  const target = e.temp ? quoteIdent(e.key) : duckRelation(e.key);
  const tokens = tokenize(s.text);
  const as = topLevelAs(tokens);
  const translated = as >= 0 ? translateRange(tokens, as + 1, tokens.length, ctx).trim() : undefined;
  const query = translated ? inAnalyzerOrder(translated, tokens, e.fields.map((f) => f.name)) : translated;
  const base = { projects: projectOf(e.key), ...(e.ifNotExists ? { unlessExists: e.key } : {}) };
  if (e.kind === 'VIEW') {
    if (!query) throw new Untranslatable('a view without a query');
    return { ...base, sql: [`create or replace ${e.temp ? 'temp ' : ''}view ${target} as ${query}`] };
  }
  if (e.kind === 'EXTERNAL') throw new Untranslatable('external tables are created from their files by the load path');
  const create = `create or replace ${e.temp ? 'temp ' : ''}table ${target} (${columnDefinitions(e.fields)})`;
  const clone = tokens.findIndex((t) => t.kind === 'word' && t.text.toLowerCase() === 'clone');
  if (!query && clone >= 0) {
    // `create table t clone s`: a copy of the source's rows (BigQuery shares storage; here the rows are copied).
    const source = translateRange(tokens, clone + 1, tokens.length, ctx).trim();
    return { ...base, sql: [create, `insert into ${target} select * from ${source}`] };
  }
  if (!query) return { ...base, sql: [create] };
  // Stage the rows first: the query may read the table it replaces.
  return {
    ...base,
    sql: [`create or replace temp table strata_stage as select * from (${query}) as strata_q`, ...stagedArrayChecks('strata_stage', e.fields), create, `insert into ${target} select * from strata_stage`, 'drop table strata_stage'],
  };
}

function schemaPlan(s: AnalyzedStatement): Plan | undefined {
  for (const e of s.effects) {
    if (e.op === 'create-dataset') {
      const [p, d] = e.key.split('.') as [string, string];
      return { projects: [p], sql: [`create schema if not exists ${quoteIdent(p)}.${quoteIdent(d)}`] };
    }
    if (e.op === 'drop-dataset') {
      const [p, d] = e.key.split('.') as [string, string];
      return { projects: [p], sql: [`drop schema if exists ${quoteIdent(p)}.${quoteIdent(d)} cascade`] };
    }
  }
  return undefined;
}

/** BigQuery refuses to write an array with a NULL element: checks of the array columns an INSERT, UPDATE or MERGE writes. */
function writeChecks(s: AnalyzedStatement, text: (sql: string) => string): string[] {
  const scan = attr(s.node.body, 'table_scan');
  const range = attr(scan, 'parse_location_range');
  const columns = ((attr(scan, 'column_list') ?? []) as { name: string; type?: { type_kind?: string } }[]).filter((c) => c.type?.type_kind === 'TYPE_ARRAY').map((c) => c.name);
  if (!columns.length) return [];
  if (s.offset === undefined || range?.end === undefined) throw new Untranslatable('a write of array columns whose target is not found in the statement text');
  const bytes = Buffer.from(s.text, 'utf8');
  const char = (b: number): number => bytes.subarray(0, Math.max(0, b - s.offset!)).toString('utf8').length;
  return writtenArrayChecks(text(s.text.slice(char(Number(range.start ?? 0)), char(Number(range.end)))), columns);
}

/** `insert` (after any comments) not followed by `into`. */
const LEADING_INSERT = /^((?:\s|\/\*[\s\S]*?\*\/|--[^\n]*\n)*insert\s+)(?!into\b)/i;

/** An INSERT whose query has a USING join, its query's columns in the analyzer's order (they are written by position). */
function insertInAnalyzerOrder(s: AnalyzedStatement, ctx: TranslateContext): string | undefined {
  const tokens = tokenize(s.text);
  if (s.node.kind !== 'resolved_insert_stmt_node' || !hasUsing(tokens)) return undefined;
  const query = leaf(attr(s.node.body, 'query'));
  const range = query ? attr(query.body, 'parse_location_range') : undefined;
  const names = ((attr(s.node.body, 'query_output_column_list') ?? []) as { name: string }[]).map((c) => c.name);
  if (s.offset === undefined || range?.end === undefined || !names.length) throw new Untranslatable('an INSERT of a query with a USING join whose query is not found in the statement text');
  const bytes = Buffer.from(s.text, 'utf8');
  const char = (b: number): number => bytes.subarray(0, Math.max(0, b - s.offset!)).toString('utf8').length;
  const [start, end] = [char(Number(range.start ?? 0)), char(Number(range.end))];
  const from = tokens.findIndex((t) => (t.at ?? -1) >= start);
  const to = tokens.findIndex((t) => (t.at ?? -1) >= end);
  const upTo = to < 0 ? tokens.length : to;
  const ordered = inAnalyzerOrder(translateRange(tokens, from, upTo, ctx).trim(), tokens, names);
  if (ordered === translateRange(tokens, from, upTo, ctx).trim()) throw new Untranslatable('an INSERT of a query with a USING join whose columns are not found by name');
  return `${translateRange(tokens, 0, from, ctx)}${ordered} ${translateRange(tokens, upTo, tokens.length, ctx)}`.trim();
}

/** The DuckDB statements for one accepted statement. */
export function planStatement(s: AnalyzedStatement, script: TranslateContext): Plan {
  const kind = s.node.kind;
  refuseTypedGaps(s.node.body);
  refuseBignumericScale(s.node.body);
  refuseStructRenames(s.node.body);
  refuseOffsetRowValues(s.node.body);
  // The statement's own text is translated knowing its typed sites; a DECLARE's parts are not its text.
  const ctx: TranslateContext = s.offset === undefined ? script : { ...script, sites: typedSites(s.node.body, s.text, s.offset), analytic: statementAnalyticCalls(s.node.body, s.text, s.offset), floatOrder: sortsByFloat(s.node.body), unnests: unnestElements(s.node.body), structs: structLiterals(s.node.body, s.text, s.offset), rangeValues: rangeValues(s.node.body, s.text, s.offset) };
  const text = (sql: string): string => {
    const tokens = tokenize(sql);
    return translateRange(tokens, 0, tokens.length, ctx).trim();
  };
  if (s.variable) {
    const names = s.variable.names.map((n) => n.toLowerCase());
    for (const n of names) ctx.variables.add(n);
    const type = s.variable.type ? text(s.variable.type) : undefined;
    // The value was analyzed on its own: its typed sites count from its start.
    const v = s.variable.value;
    const typedValue = (sql: string): string => {
      const r = s.variable!.resolved;
      const own: TranslateContext = r ? { ...ctx, sites: typedSites(r, sql, 0), analytic: statementAnalyticCalls(r, sql, 0), floatOrder: sortsByFloat(r), unnests: unnestElements(r), structs: structLiterals(r, sql, 0), rangeValues: rangeValues(r, sql, 0) } : ctx;
      const tokens = tokenize(sql);
      return translateRange(tokens, 0, tokens.length, own).trim();
    };
    const value = v ? `(${typedValue(v)})` : 'NULL';
    return { projects: [], sql: names.map((n) => `set variable ${quoteIdent(n)} = ${type ? `CAST(${value} AS ${type})` : value}`) };
  }
  const create = s.effects.find((e): e is Extract<SchemaEffect, { op: 'create' }> => e.op === 'create');
  if (create) return createPlan(s, create, ctx);
  const schema = schemaPlan(s);
  if (schema) return schema;
  if (kind === 'resolved_query_stmt_node') {
    const names = ((attr(s.node.body, 'output_column_list') ?? []) as { name: string }[]).map((c) => c.name);
    return { projects: [], sql: [text(s.text)], query: true, ...(hasUsing(tokenize(s.text)) ? { reorder: names } : {}) };
  }
  if (/resolved_(insert|update|merge)_stmt_node/.test(kind)) {
    const checks = writeChecks(s, text);
    const merge = kind === 'resolved_merge_stmt_node' ? { refuseIf: mergeCheck(tokenize(s.text), ctx) } : {};
    // BigQuery's INTO is optional in MERGE and INSERT, DuckDB's is not.
    const write = kind === 'resolved_merge_stmt_node' ? text(s.text).replace(/^merge\s+(?!into\b)/i, 'merge into ') : (insertInAnalyzerOrder(s, ctx) ?? text(s.text)).replace(LEADING_INSERT, '$1into ');
    return { projects: [], sql: [write, ...checks], dml: true, ...(checks.length ? { atomic: true } : {}), ...merge };
  }
  if (kind === 'resolved_delete_stmt_node') return { projects: [], sql: [text(s.text)], dml: true };
  if (kind === 'resolved_begin_stmt_node') return { projects: [], sql: ['begin transaction'] };
  if (kind === 'resolved_commit_stmt_node') return { projects: [], sql: ['commit'] };
  if (kind === 'resolved_rollback_stmt_node') return { projects: [], sql: ['rollback'] };
  if (/grant|revoke/.test(kind)) return { projects: [], sql: [] };
  if (kind === 'resolved_create_function_stmt_node') return functionPlan(s, ctx);
  const drop = s.effects.find((e) => e.op === 'drop');
  if (drop) {
    const type = /\bview\b/i.test(s.text.split('\n')[0]!) ? 'view' : 'table';
    return { projects: projectOf(drop.key), sql: [`drop ${type} if exists ${drop.key.includes('.') ? duckRelation(drop.key) : quoteIdent(drop.key)}`] };
  }
  if (kind === 'resolved_alter_table_stmt_node' || kind === 'resolved_alter_table_set_options_stmt_node') {
    refuseUnexecutedActions(s.node);
    const sql: string[] = [];
    for (const e of s.effects) {
      if (e.op === 'drop-columns') for (const n of e.names) sql.push(`alter table ${duckRelation(e.key)} drop column if exists ${quoteIdent(n)}`);
      if (e.op === 'add-columns') for (const f of e.fields) sql.push(`alter table ${duckRelation(e.key)} add column if not exists ${quoteIdent(f.name)} ${columnDefinitions([f]).replace(/^"[^"]*" /, '')}`);
      if (e.op === 'rename') sql.push(`alter table ${duckRelation(e.key)} rename to ${quoteIdent(e.to.split('.').at(-1)!)}`);
    }
    return { projects: s.effects.flatMap((e) => projectOf(e.key)), sql };
  }
  if (kind === 'resolved_alter_column_options_action_node' || /set_options|alter_(view|schema)/.test(kind)) return { projects: [], sql: [] };
  throw new Untranslatable(`${kind.replace(/^resolved_|_node$/g, '').replace(/_/g, ' ')}`);
}

/** ALTER TABLE actions carried out here (the rest change no rows: options, descriptions, defaults). */
const ALTER_ACTIONS = new Set(['resolved_add_column_action_node', 'resolved_drop_column_action_node', 'resolved_rename_to_action_node']);
const NO_ROWS_ACTIONS = /set_options|column_options|set_default|drop_default|set_collate|drop_not_null/;

/** An ALTER TABLE action that would change the data or schema but is not carried out here fails the job, named. */
function refuseUnexecutedActions(node: AnalyzedStatement['node']): void {
  for (const action of (attr(node.body, 'alter_action_list') ?? []) as { node: string }[]) {
    // ALTER COLUMN's actions are wrapped: the leaf names what it does (`…_alter_column_options_action_node`).
    let a = action as { node: string } & Record<string, unknown>;
    while ((a[a.node] as { node?: string } | undefined)?.node) a = a[a.node] as typeof a;
    if (ALTER_ACTIONS.has(a.node) || NO_ROWS_ACTIONS.test(a.node)) continue;
    throw new Untranslatable(`ALTER TABLE … ${a.node.replace(/^resolved_|_action_node$/g, '').replace(/_/g, ' ').toUpperCase()}`);
  }
}

/** A statement's first line without comments (for messages). */
export function firstLine(sql: string): string {
  const line = tokenize(sql).filter((t) => t.kind !== 'comment').map((t) => (t.kind === 'ident' ? `\`${t.text}\`` : t.kind === 'string' ? `'…'` : t.text)).join('').trim().split('\n')[0]!;
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
