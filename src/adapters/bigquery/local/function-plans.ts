/**
 * `create temp function` (a SQL UDF, as dbt-bigquery projects put in a model's `sql_header`) as DuckDB
 * macros for the rest of the job: one holds the translated body, the other casts each argument to its
 * declared type and the result to the return type (declared or inferred by the analyzer), so that the
 * function computes with BigQuery's types whatever DuckDB would infer from the call. Dropped when the job
 * ends, as BigQuery's temp functions live for their script. JavaScript and aggregate functions, and
 * persistent ones, are refused as not supported.
 */
import type { AnalyzedStatement } from './query-gate.js';
import type { Plan } from './statement-plans.js';
import type { TypeProto } from './bigquery-types.js';
import { typeToField } from './bigquery-types.js';
import { attr } from './resolved-ast.js';
import { tokenize, topLevelAs } from './sql-tokens.js';
import { duckTypeOfField, quoteIdent, translateRange, Untranslatable, type TranslateContext } from './to-duckdb.js';

/** The DuckDB type of an analyzer type. */
function duckType(type: TypeProto): string {
  return duckTypeOfField(typeToField('value', type));
}

/** The macro names for a temp function: the one calls use, and the one holding its body. */
export function macroNames(name: string): [string, string] {
  return [name, `strata_udf_body_${name}`];
}

/** The plan of a `create temp function`; `macros` are the names to drop when the job ends. */
export function functionPlan(s: AnalyzedStatement, ctx: TranslateContext): Plan & { macros: string[] } {
  const body = s.node.body;
  if (attr(body, 'create_scope') !== 'CREATE_TEMP') throw new Untranslatable('persistent functions (CREATE FUNCTION without TEMP)');
  const language = String(attr(body, 'language') ?? 'SQL').toUpperCase();
  if (language !== 'SQL') throw new Untranslatable(`${language === 'JS' ? 'JavaScript' : language} functions`);
  if (attr(body, 'is_aggregate') === true) throw new Untranslatable('aggregate functions');
  const path = attr(body, 'name_path') as string[];
  const [name, inner] = macroNames(path.at(-1)!);
  const args = (attr(body, 'argument_name_list') ?? []) as string[];
  const signature = attr(body, 'signature') as { argument?: { type?: TypeProto }[]; return_type?: { type?: TypeProto } };
  const returns = signature.return_type?.type;
  if (!returns || (signature.argument ?? []).some((a) => !a.type)) throw new Untranslatable('templated functions (an argument of type ANY TYPE)');
  // The body follows the first `as` outside brackets (a `returns` type has none).
  const tokens = tokenize(s.text);
  const as = topLevelAs(tokens);
  if (as < 0) throw new Untranslatable('a function without a SQL body');
  const translated = translateRange(tokens, as + 1, tokens.length, ctx).trim();
  const params = args.map(quoteIdent).join(', ');
  const casts = args.map((a, i) => `CAST(${quoteIdent(a)} AS ${duckType(signature.argument![i]!.type!)})`).join(', ');
  return {
    projects: [],
    macros: [name, inner],
    sql: [
      `create or replace temp macro ${quoteIdent(inner)}(${params}) as ${translated}`,
      `create or replace temp macro ${quoteIdent(name)}(${params}) as CAST(${quoteIdent(inner)}(${casts}) AS ${duckType(returns)})`,
    ],
  };
}
