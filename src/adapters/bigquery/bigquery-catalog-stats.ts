import type { CatalogStat, RelationDetails } from '../contract.js';
import { catalogColumns, type SchemaField } from './bigquery-catalog-columns.js';

/** The part of a tables.get answer dbt-bigquery's catalog reads. */
export interface TableMetadata {
  type?: string;
  description?: string;
  numRows?: string | number;
  numBytes?: string | number;
  timePartitioning?: { field?: string };
  rangePartitioning?: { field?: string };
  clustering?: { fields?: string[] };
  schema?: { fields?: SchemaField[] };
}

/**
 * A relation as dbt-bigquery's catalog (`bigquery__get_catalog`) describes it: `table`, `view`,
 * `materialized view` or `external`; the description as its comment; row count and size (shown for tables),
 * the partitioning column and the clustering columns (shown when set), and the date-shard stats Strata never
 * has (shown for none). Labels and descriptions are dbt-bigquery's. Its columns as that catalog lists them
 * (nested fields as `parent.child`: bigquery-catalog-columns.ts).
 */
export function bigqueryRelationDetails(meta: TableMetadata): RelationDetails {
  const type = meta.type === 'VIEW' ? 'view' : meta.type === 'MATERIALIZED_VIEW' ? 'materialized view' : meta.type === 'EXTERNAL' ? 'external' : 'table';
  const isTable = type === 'table';
  const partition = meta.timePartitioning?.field ?? meta.rangePartitioning?.field ?? null;
  const clustering = meta.clustering?.fields?.length ? meta.clustering.fields.join(', ') : null;
  const stat = (id: string, label: string, value: unknown, include: boolean, description: string): CatalogStat => ({ id, label, value, include, description });
  return {
    type,
    ...(meta.description ? { comment: meta.description } : {}),
    columns: catalogColumns(meta.schema?.fields ?? []),
    stats: [
      stat('date_shards', 'Shard count', 0, false, 'The number of date shards in this table'),
      stat('date_shard_min', 'Shard (min)', null, false, 'The first date shard in this table'),
      stat('date_shard_max', 'Shard (max)', null, false, 'The last date shard in this table'),
      stat('num_rows', '# Rows', Number(meta.numRows ?? 0), isTable, 'Approximate count of rows in this table'),
      stat('num_bytes', 'Approximate Size', Number(meta.numBytes ?? 0), isTable, 'Approximate size of table as reported by BigQuery'),
      stat('partitioning_type', 'Partitioned By', partition, partition !== null, 'The partitioning column for this table'),
      stat('clustering_fields', 'Clustered By', clustering, clustering !== null, 'The clustering columns for this table'),
    ],
  };
}
