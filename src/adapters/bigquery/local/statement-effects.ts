/**
 * What a resolved statement does to the warehouse's schema — create, drop, rename, add or drop columns, create a
 * dataset — as plain data, applied by the gate to a script's view of the catalog and by the server to
 * its store once a job succeeds.
 */
import type { TableField } from './bigquery-types.js';
import { attr, outputFields, type ResolvedNode } from './resolved-ast.js';
import { typeToField } from './bigquery-types.js';
import { canonicalName } from './analyzer-catalog.js';
import { partitioningOf, requiresPartitionFilter, type TablePartitioning } from './partition-layout.js';
import { columnOptionChanges, tableOptions, type TableOptions } from './table-options.js';

export type TableKind = 'TABLE' | 'VIEW' | 'EXTERNAL';

export type SchemaEffect =
  | { op: 'create'; key: string; kind: TableKind; fields: TableField[]; ifNotExists: boolean; temp: boolean; partitioned: boolean; clustering: string[]; partitioning?: TablePartitioning; requirePartitionFilter?: boolean; options: TableOptions }
  | { op: 'column-description'; key: string; column: string; description: string }
  | { op: 'drop'; key: string }
  | { op: 'rename'; key: string; to: string }
  | { op: 'add-columns'; key: string; fields: TableField[] }
  | { op: 'drop-columns'; key: string; names: string[] }
  | { op: 'create-dataset'; key: string }
  | { op: 'drop-dataset'; key: string };

function createKind(kind: string): TableKind | undefined {
  if (/create_(table|table_as_select|snapshot_table)_stmt_node$/.test(kind)) return 'TABLE';
  if (/create_(view|materialized_view)_stmt_node$/.test(kind)) return 'VIEW';
  if (kind.endsWith('create_external_table_stmt_node')) return 'EXTERNAL';
  return undefined;
}

/** `create table … clone source`: the columns of the source, as the analyzer scanned them. */
function cloneFields(node: ResolvedNode): TableField[] | undefined {
  const scan = (attr(node.body, 'clone_from') as any)?.resolved_table_scan_node;
  const columns = scan?.parent?.column_list as { name: string; type: Parameters<typeof typeToField>[1] }[] | undefined;
  return columns?.map((c) => typeToField(c.name, c.type));
}

/** The partitioning a CREATE gives and its `require_partition_filter` (kept by the store, enforced by the gate). */
function partitionFacts(node: ResolvedNode): { partitioning?: TablePartitioning; requirePartitionFilter?: boolean } {
  const partitioning = partitioningOf(node);
  return { ...(partitioning ? { partitioning } : {}), ...(partitioning && requiresPartitionFilter(node) ? { requirePartitionFilter: true } : {}) };
}

/** The schema changes of one statement, with names resolved against the job's project. */
export function schemaEffects(node: ResolvedNode, project: string): SchemaEffect[] {
  const path = attr(node.body, 'name_path') as string[] | undefined;
  const kind = createKind(node.kind);
  if (kind && path) {
    const temp = attr(node.body, 'create_scope') === 'CREATE_TEMP';
    const clustering = ((attr(node.body, 'cluster_by_list') ?? []) as any[]).map((c) => String(c?.[c.node]?.column?.name ?? '')).filter(Boolean);
    return [{
      op: 'create',
      key: temp ? path.join('.') : canonicalName(path, project),
      kind,
      fields: outputFields(node) ?? cloneFields(node) ?? [],
      ifNotExists: attr(node.body, 'create_mode') === 'CREATE_IF_NOT_EXISTS',
      temp,
      partitioned: ((attr(node.body, 'partition_by_list') ?? []) as unknown[]).length > 0,
      clustering,
      ...partitionFacts(node),
      options: tableOptions(node.body),
    }];
  }
  if (node.kind === 'resolved_create_schema_stmt_node' && path) return [{ op: 'create-dataset', key: path.length === 1 ? `${project}.${path[0]}` : path.join('.') }];
  if (node.kind === 'resolved_drop_stmt_node' && path) {
    const type = String(attr(node.body, 'object_type') ?? '').toUpperCase();
    if (type === 'SCHEMA') return [{ op: 'drop-dataset', key: path.length === 1 ? `${project}.${path[0]}` : path.join('.') }];
    return [{ op: 'drop', key: path.length === 1 ? path[0]! : canonicalName(path, project) }];
  }
  if (node.kind === 'resolved_alter_view_stmt_node' && path) return columnOptionChanges(node.body).map((c) => ({ op: 'column-description', key: canonicalName(path, project), ...c }));
  if (node.kind === 'resolved_alter_table_stmt_node' && path) {
    const key = canonicalName(path, project);
    const out: SchemaEffect[] = columnOptionChanges(node.body).map((c) => ({ op: 'column-description', key, ...c }));
    const added: TableField[] = [];
    const dropped: string[] = [];
    for (const a of (attr(node.body, 'alter_action_list') ?? []) as any[]) {
      const action = a[a.node];
      if (a.node === 'resolved_rename_to_action_node') {
        const to = action.new_path as string[];
        out.push({ op: 'rename', key, to: to.length === 1 ? `${key.split('.').slice(0, 2).join('.')}.${to[0]}` : canonicalName(to, project) });
      }
      if (a.node === 'resolved_add_column_action_node') added.push(typeToField(action.column_definition.name, action.column_definition.type));
      if (a.node === 'resolved_drop_column_action_node') dropped.push(String(action.name));
    }
    // BigQuery applies a statement's actions in order; the server keeps drops before adds (a column dropped and re-added in one ALTER is not supported here).
    if (added.length) out.unshift({ op: 'add-columns', key, fields: added });
    if (dropped.length) out.unshift({ op: 'drop-columns', key, names: dropped });
    return out;
  }
  return [];
}
