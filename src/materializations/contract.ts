/**
 * dbt's model contracts (`contract: {enforced: true}`): before a model is built, the columns its SQL
 * returns must match the YAML `columns:` with their `data_type`, by name and type. Both sides are typed by
 * the warehouse itself (`cast(null as <data_type>)` against the model's query, neither returning rows),
 * so `int` and `integer` agree as they do there. A mismatch fails the model with dbt's table of
 * differences, and the previous relation stays as it was. Tables and incremental models are built with
 * the contract's column order, as dbt does.
 */
import { UserError } from '../diagnostics/index.js';
import type { ConstraintDef, Connection, ContractDdl, Dialect } from '../adapters/contract.js';
import { skippedConstraints } from '../adapters/contract-ddl.js';
import { columnTypeText } from '../adapters/column-type.js';
import type { Diagnostic } from '../diagnostics/index.js';
import type { ManifestNode } from '../parse/types.js';
import { withSqlHeader } from './sql-header.js';

export function contractEnforced(node: ManifestNode): boolean {
  const contract = node.config.contract as { enforced?: unknown } | undefined;
  return contract?.enforced === true;
}

/**
 * The column list and constraints a contracted table is created with; undefined without an enforced
 * contract. A foreign key written as `to: ref('x')` with `to_columns` becomes `<x's relation> (<columns>)`
 * through `relationOf` (dbt 1.9's form); without it, or for a ref that does not resolve, it stays as written.
 */
export function contractDdl(node: ManifestNode, relationOf?: (call: string) => string | undefined, quote: (name: string) => string = (n) => n): ContractDdl | undefined {
  if (!contractEnforced(node)) return undefined;
  const columns = Object.values(node.columns ?? {});
  if (!columns.length || columns.some((c) => !c.dataType)) return undefined;
  const resolved = (c: ConstraintDef): ConstraintDef => {
    if (c.type !== 'foreign_key' || c.expression || !c.to || !relationOf) return c;
    const target = relationOf(c.to);
    return target ? { ...c, expression: `${target} (${(c.toColumns ?? []).map(quote).join(', ')})` } : c;
  };
  return { columns: columns.map((c) => ({ name: c.name, dataType: c.dataType!, constraints: (c.constraints ?? []).map(resolved) })), constraints: (node.constraints ?? []).map(resolved) };
}

/**
 * dbt's warnings for a contract's constraints: those this warehouse will not create (`warn_unsupported`), and
 * those it keeps without checking them (`warn_unenforced`). Views get none: they are created without constraints.
 */
export function constraintWarnings(node: ManifestNode, dialect: Pick<Dialect, 'name' | 'constraintSupport' | 'constraintNotes'>, relationOf?: (call: string) => string | undefined): Diagnostic[] {
  const ddl = contractDdl(node, relationOf);
  if (!ddl || (node.config.materialized !== 'table' && node.config.materialized !== 'incremental')) return [];
  const file = node.patchPath ?? node.originalFilePath;
  const out: Diagnostic[] = [];
  const what = (column?: string): string => (column ? `column '${column}' of '${node.name}'` : `'${node.name}'`);
  for (const s of skippedConstraints(ddl, dialect.constraintSupport, dialect.name)) {
    if ((s.constraint as { warnUnsupported?: boolean }).warnUnsupported === false) continue;
    const note = dialect.constraintNotes?.[s.constraint.type];
    out.push({ code: 'constraint-not-created', severity: 'warn', message: `the ${s.constraint.type} constraint on ${what(s.column)} is not created: ${note ?? s.reason}`, file, hint: 'test it with a data test instead (unique, not_null, relationships), or set warn_unsupported: false on the constraint' });
  }
  const unenforced = [...ddl.columns.flatMap((c) => c.constraints.map((k) => ({ k, column: c.name as string | undefined }))), ...ddl.constraints.map((k) => ({ k, column: undefined }))];
  for (const { k, column } of unenforced) {
    // A foreign key with nothing to reference is not created at all (warned above).
    if (dialect.constraintSupport[k.type] !== 'not_enforced' || (k as { warnUnenforced?: boolean }).warnUnenforced === false || (k.type === 'foreign_key' && !k.expression)) continue;
    out.push({ code: 'constraint-not-enforced', severity: 'warn', message: `the ${k.type} constraint on ${what(column)} is created but not enforced by ${dialect.name}: rows that break it are still written`, file, hint: 'add a data test to check it, or set warn_unenforced: false on the constraint' });
  }
  return out;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(rows[0]!), line(widths.map((w) => '-'.repeat(w))), ...rows.slice(1).map(line)].join('\n');
}

/**
 * The two queries whose columns are compared: the model's, and one typed by the contract; neither returns rows.
 * The casts are a subquery, as dbt's `get_empty_schema_sql` inside `get_empty_subquery_sql`: BigQuery refuses
 * a WHERE without a FROM.
 */
export function contractQueries(sql: string, columns: { name: string; dataType: string }[], dialect: Pick<Dialect, 'quoteIdentifier'>): { model: string; contract: string } {
  return {
    model: `select * from (\n${sql}\n) as strata_contract_check where false limit 0`,
    contract: `select * from (\nselect ${columns.map((c) => `cast(null as ${c.dataType}) as ${dialect.quoteIdentifier(c.name)}`).join(', ')}\n) as strata_contract_types where false limit 0`,
  };
}

/** Checks the model's columns against its contract; returns the SQL to build (columns in contract order). */
export async function enforceContract(node: ManifestNode, sql: string, connection: Connection, dialect: Dialect): Promise<string> {
  if (!contractEnforced(node)) return sql;
  const where = { file: node.patchPath ?? node.originalFilePath };
  const declared = Object.values(node.columns ?? {});
  const untyped = declared.filter((c) => !c.dataType).map((c) => c.name);
  if (!declared.length || untyped.length) {
    throw new UserError({ code: 'contract-invalid', severity: 'error', message: `'${node.name}' has an enforced contract, which needs every column listed with a data_type${untyped.length ? `; missing for: ${untyped.join(', ')}` : ''}`, ...where, hint: 'list the columns under the model in YAML, each with data_type, or set contract: {enforced: false}' });
  }
  const queries = contractQueries(sql, declared.map((c) => ({ name: c.name, dataType: c.dataType! })), dialect);
  const actual = (await connection.query(withSqlHeader(node, queries.model))).columns;
  const expected = (await connection.query(queries.contract)).columns;
  // Whole types (a STRUCT's fields, ARRAY<…>), as dbt-bigquery compares BigQueryColumn.data_type.
  const typeOf = new Map(actual.map((c) => [c.name.toLowerCase(), columnTypeText(c)]));
  const rows: string[][] = [];
  for (const c of expected) {
    const found = typeOf.get(c.name.toLowerCase());
    const type = columnTypeText(c);
    if (found === undefined) rows.push([c.name, '', type, 'missing in definition']);
    else if (found.toUpperCase() !== type.toUpperCase()) rows.push([c.name, found, type, 'data type mismatch']);
  }
  const contracted = new Set(expected.map((c) => c.name.toLowerCase()));
  for (const c of actual) if (!contracted.has(c.name.toLowerCase())) rows.push([c.name, columnTypeText(c), '', 'missing in contract']);
  if (rows.length) {
    throw new UserError({
      code: 'contract-violation',
      severity: 'error',
      message: `This model has an enforced contract that failed.\nPlease ensure the name, data_type, and number of columns in your contract match the columns in your model's definition.\n\n${table([['column_name', 'definition_type', 'contract_type', 'mismatch_reason'], ...rows])}`,
      ...where,
      hint: `change the model's SQL or its contract in ${where.file}; the previous ${node.name} was left as it was`,
    });
  }
  if (node.config.materialized !== 'table' && node.config.materialized !== 'incremental') return sql;
  return `select ${declared.map((c) => dialect.quoteIdentifier(c.name)).join(', ')}\nfrom (\n${sql}\n) as model_subq`;
}
