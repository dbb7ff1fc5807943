/**
 * A script's view of the warehouse while it is analyzed: the tables as the store holds them, changed by the
 * script's earlier statements (created, dropped, renamed, columns added or dropped), and their partitioning.
 */
import type { GateContext } from './query-gate.js';
import type { TableField } from './bigquery-types.js';
import type { SchemaEffect } from './statement-effects.js';
import type { PartitionedTable } from './partition-layout.js';
import { canonicalName, informationSchemaView, INFORMATION_SCHEMA_VIEWS } from './analyzer-catalog.js';

/** A script's view of the warehouse: the store plus what earlier statements of the script changed. */
export class ScriptSchemas {
  private readonly changed = new Map<string, TableField[] | null>();
  private readonly layouts = new Map<string, PartitionedTable | undefined>();
  constructor(private readonly ctx: GateContext) {}

  /** A path's key: `project.dataset.table`, or a temp table's own name. */
  keyOf(path: string[]): string {
    return path.length === 1 && !path[0]!.includes('.') ? path[0]! : canonicalName(path, this.ctx.project);
  }

  columnsOf(path: string[]): TableField[] | undefined {
    const view = informationSchemaView(path);
    if (view) return INFORMATION_SCHEMA_VIEWS[view];
    const key = this.keyOf(path);
    if (this.changed.has(key)) return this.changed.get(key) ?? undefined;
    return this.ctx.columnsOf(key);
  }

  tableOf(key: string): PartitionedTable | undefined {
    return this.layouts.has(key) ? this.layouts.get(key) : this.ctx.tableOf?.(key);
  }

  apply(effects: SchemaEffect[]): void {
    for (const e of effects) {
      if (e.op === 'create' && !(e.ifNotExists && this.columnsOf(e.key.split('.')))) {
        this.changed.set(e.key, e.fields);
        this.layouts.set(e.key, e.kind === 'TABLE' ? { partitioning: e.partitioning, clustering: e.clustering, requirePartitionFilter: e.requirePartitionFilter } : undefined);
      }
      if (e.op === 'drop') {
        this.changed.set(e.key, null);
        this.layouts.set(e.key, undefined);
      }
      if (e.op === 'rename') {
        this.changed.set(e.to, this.columnsOf(e.key.split('.')) ?? []);
        this.changed.set(e.key, null);
        this.layouts.set(e.to, this.tableOf(e.key));
        this.layouts.set(e.key, undefined);
      }
      if (e.op === 'drop-columns') {
        const gone = new Set(e.names.map((n) => n.toLowerCase()));
        this.changed.set(e.key, (this.columnsOf(e.key.split('.')) ?? []).filter((f) => !gone.has(f.name.toLowerCase())));
      }
      if (e.op === 'add-columns') {
        const had = this.columnsOf(e.key.split('.')) ?? [];
        this.changed.set(e.key, [...had, ...e.fields.filter((f) => !had.some((h) => h.name.toLowerCase() === f.name.toLowerCase()))]);
      }
    }
  }
}
