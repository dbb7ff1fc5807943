/**
 * The tables, views and datasets the local BigQuery holds: each table's columns (as the analyzer
 * resolved them) and its row and byte counts. With a data folder the store is kept in
 * `bigquery-catalog.json` there and read back on the next start.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TableField } from './bigquery-types.js';
import type { SchemaEffect, TableKind } from './statement-effects.js';
import type { TablePartitioning } from './partition-layout.js';
import type { TableOptions } from './table-options.js';

export interface StoredTable {
  type: TableKind;
  fields: TableField[];
  numRows: number;
  numBytes: number;
  /** Set for tables created with PARTITION BY / CLUSTER BY (reported by tables.get and INFORMATION_SCHEMA). */
  partitioned?: boolean;
  clustering?: string[];
  /** Its partition column and unit or range, and whether a query must filter on it (`require_partition_filter`). */
  partitioning?: TablePartitioning;
  requirePartitionFilter?: boolean;
  /** Description, labels, partitioning and expiration from the CREATE statement (tables.get answers with them). */
  options?: TableOptions;
}

export class TableStore {
  readonly tables = new Map<string, StoredTable>();
  readonly datasets = new Set<string>();
  /** Each dataset's access entries (datasets.patch), `project.dataset` → entries. */
  readonly access = new Map<string, unknown[]>();
  private readonly file?: string;

  constructor(dataDir?: string) {
    if (!dataDir) return;
    mkdirSync(dataDir, { recursive: true });
    this.file = join(dataDir, 'bigquery-catalog.json');
    if (existsSync(this.file)) {
      const saved = JSON.parse(readFileSync(this.file, 'utf8')) as { tables: Record<string, StoredTable>; datasets: string[]; access?: Record<string, unknown[]> };
      for (const [k, v] of Object.entries(saved.access ?? {})) this.access.set(k, v);
      for (const [k, v] of Object.entries(saved.tables ?? {})) this.tables.set(k, v);
      for (const d of saved.datasets ?? []) this.datasets.add(d);
    }
  }

  /** Writes the store to the data folder, if there is one (a temp file, then a rename). */
  save(): void {
    if (!this.file) return;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify({ tables: Object.fromEntries(this.tables), datasets: [...this.datasets], access: Object.fromEntries(this.access) }, null, 1));
    renameSync(tmp, this.file);
  }

  columnsOf(key: string): TableField[] | undefined {
    return this.tables.get(key)?.fields;
  }

  /** A table's partitioning facts, for the gate's rules (undefined for a view or external table). */
  partitionedTable(key: string): StoredTable | undefined {
    const t = this.tables.get(key);
    return t?.type === 'TABLE' ? t : undefined;
  }

  hasDataset(project: string, dataset: string): boolean {
    return this.datasets.has(`${project}.${dataset}`) || [...this.tables.keys()].some((k) => k.startsWith(`${project}.${dataset}.`));
  }

  /** Applies what a statement did to the schema. Temp tables live only in their script: not stored. */
  apply(effects: SchemaEffect[]): void {
    for (const e of effects) {
      if (e.op === 'create' && !e.temp) {
        if (e.ifNotExists && this.tables.has(e.key)) continue;
        this.tables.set(e.key, { type: e.kind, fields: e.fields, numRows: 0, numBytes: 0, ...(e.partitioned ? { partitioned: true } : {}), ...(e.clustering.length ? { clustering: e.clustering } : {}), ...(e.partitioning ? { partitioning: e.partitioning } : {}), ...(e.requirePartitionFilter ? { requirePartitionFilter: true } : {}), ...(Object.keys(e.options).length ? { options: e.options } : {}) });
      } else if (e.op === 'drop') this.tables.delete(e.key);
      else if (e.op === 'rename') {
        const t = this.tables.get(e.key);
        if (t) {
          this.tables.set(e.to, t);
          this.tables.delete(e.key);
        }
      } else if (e.op === 'add-columns') {
        const t = this.tables.get(e.key);
        if (t) t.fields = [...t.fields, ...e.fields.filter((f) => !t.fields.some((h) => h.name.toLowerCase() === f.name.toLowerCase()))];
      } else if (e.op === 'drop-columns') {
        const t = this.tables.get(e.key);
        const gone = new Set(e.names.map((n) => n.toLowerCase()));
        if (t) t.fields = t.fields.filter((f) => !gone.has(f.name.toLowerCase()));
      } else if (e.op === 'column-description') {
        const field = this.tables.get(e.key)?.fields.find((f) => f.name.toLowerCase() === e.column.toLowerCase());
        if (field) field.description = e.description;
      } else if (e.op === 'create-dataset') this.datasets.add(e.key);
      else if (e.op === 'drop-dataset') {
        this.datasets.delete(e.key);
        for (const k of [...this.tables.keys()]) if (k.startsWith(`${e.key}.`)) this.tables.delete(k);
      }
    }
  }
}
