/**
 * dbt's `on_schema_change` for an incremental model whose new rows' columns differ from its table's:
 * `ignore` writes the shared columns, `fail` stops, `append_new_columns` adds the new ones,
 * `sync_all_columns` adds the new, drops the missing and changes the types of those whose type changed.
 * Types are compared whole (a STRUCT's fields, ARRAY<…>), as dbt's `diff_column_data_types` compares
 * `data_type`; two string types never count as a change (dbt's `can_expand_to`).
 */
import type { ColumnDef, Dialect, Relation } from '../adapters/contract.js';
import { columnTypeText } from '../adapters/column-type.js';
import { UserError } from '../diagnostics/index.js';
import type { ManifestNode } from '../parse/types.js';

// A string type whole (a list of strings, `VARCHAR[]`, is not one): dbt's Column.is_string.
const STRING_TYPE = /^(string|varchar|text|character varying|char|character|bpchar)(\s*\(\s*\d+\s*\))?$/i;

function typeChanged(target: ColumnDef, source: ColumnDef): boolean {
  const [a, b] = [columnTypeText(target), columnTypeText(source)];
  return a.toUpperCase() !== b.toUpperCase() && !(STRING_TYPE.test(a) && STRING_TYPE.test(b));
}

function fail(node: ManifestNode, message: string, hint: string): never {
  throw new UserError({ code: 'incremental-invalid', severity: 'error', message, file: node.originalFilePath, hint });
}

/**
 * The statements that give the table its new column types, after columns were added and dropped: the
 * dialect's ALTER COLUMN where it has one (DuckDB), else the table rebuilt from itself with casts, as
 * dbt-bigquery's `alter_column_type` does (BigQuery's ALTER COLUMN only widens).
 */
function retypeStatements(node: ManifestNode, dialect: Dialect, target: Relation, columns: string[], retyped: ColumnDef[]): string[] {
  if (!retyped.length) return [];
  if (dialect.alterColumnType) return retyped.map((c) => dialect.alterColumnType!(target, c.name, columnTypeText(c)));
  const typeOf = new Map(retyped.map((c) => [c.name.toLowerCase(), columnTypeText(c)]));
  const q = (n: string): string => dialect.quoteIdentifier(n);
  const select = columns.map((n) => (typeOf.has(n.toLowerCase()) ? `cast(${q(n)} as ${typeOf.get(n.toLowerCase())}) as ${q(n)}` : q(n)));
  return [dialect.createTableAs(target, `select ${select.join(', ')} from ${dialect.renderRelation(target)}`, { config: node.config })];
}

/**
 * `sync_all_columns` and a changed type: a query counting, per retyped column, the table's rows whose value the
 * new type would not keep (a cast that fails, or one that does not cast back to the same value: a decimal
 * rounded, '007' as 7, a struct field dropped). dbt casts them anyway; Strata refuses (nothing lost). Only where
 * the dialect can try a cast; undefined otherwise.
 */
export function lossyRetypeCheck(dialect: Dialect, target: Relation, retyped: { name: string; from: string; to: string }[]): string | undefined {
  if (!dialect.tryCast || !retyped.length) return undefined;
  const counts = retyped.map((c, i) => {
    const col = dialect.quoteIdentifier(c.name);
    const cast = dialect.tryCast!(col, c.to);
    return `count(case when ${col} is not null and (${cast} is null or cast(${cast} as ${c.from}) is distinct from ${col}) then 1 end) as lost_${i}`;
  });
  return `select ${counts.join(', ')} from ${dialect.renderRelation(target)}`;
}

/** The columns to write after applying `on_schema_change`, and the statements to run first. */
export function reconcileColumns(node: ManifestNode, dialect: Dialect, target: Relation, targetCols: ColumnDef[], newCols: ColumnDef[]): { columns: string[]; ddl: string[]; retyped?: { name: string; from: string; to: string }[] } {
  const byName = (cols: ColumnDef[]): Map<string, ColumnDef> => new Map(cols.map((c) => [c.name.toLowerCase(), c]));
  const t = byName(targetCols);
  const n = byName(newCols);
  const added = newCols.filter((c) => !t.has(c.name.toLowerCase()));
  const removed = targetCols.filter((c) => !n.has(c.name.toLowerCase()));
  const retyped = newCols.filter((c) => t.has(c.name.toLowerCase()) && typeChanged(t.get(c.name.toLowerCase())!, c));
  const mode = node.config.on_schema_change ?? 'ignore';
  const shared = targetCols.filter((c) => n.has(c.name.toLowerCase())).map((c) => c.name);
  if (mode === 'fail' && (added.length || removed.length || retyped.length)) {
    // dbt's wording (a compilation error there), which its adapter suite looks for.
    const names = (cols: ColumnDef[]): string => `[${cols.map((c) => `'${c.name}'`).join(', ')}]`;
    const types = retyped.length ? `; new column types: [${retyped.map((c) => `{'column_name': '${c.name}', 'new_type': '${columnTypeText(c)}'}`).join(', ')}]` : '';
    fail(node, `Compilation Error in model ${node.name}: The source and target schemas on this incremental model are out of sync! Source columns not in target: ${names(added)}; target columns not in source: ${names(removed)}${types} (on_schema_change is 'fail')`, "run with --full-refresh, or set on_schema_change='append_new_columns' or 'sync_all_columns'");
  }
  if (mode !== 'append_new_columns' && mode !== 'sync_all_columns') return { columns: shared, ddl: [] };
  const ddl: string[] = [];
  if (added.length) ddl.push(dialect.addColumns(target, added));
  if (mode === 'append_new_columns') return { columns: [...shared, ...added.map((c) => c.name)], ddl };
  for (const c of removed) ddl.push(`alter table ${dialect.renderRelation(target)} drop column ${dialect.quoteIdentifier(c.name)}`);
  ddl.push(...retypeStatements(node, dialect, target, [...shared, ...added.map((c) => c.name)], retyped));
  const changes = retyped.map((c) => ({ name: c.name, from: columnTypeText(t.get(c.name.toLowerCase())!), to: columnTypeText(c) }));
  return { columns: [...shared, ...added.map((c) => c.name)], ddl, ...(changes.length ? { retyped: changes } : {}) };
}
