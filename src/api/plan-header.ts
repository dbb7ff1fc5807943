import { indexResolver, renderNodeOf, runRenderContext, type RelationIndex } from '../compile/index.js';
import type { templateWarehouse } from '../execute/warehouse-state.js';
import type { ManifestNode } from '../parse/types.js';
import type { PreparedProject } from './prepare.js';

/** What a node's dry run sends, and what the plan says of the header's statements left out of it. */
export interface DryRunQuery {
  sql: string;
  note?: string;
}

/**
 * A node's query as its dry run sends it: with the node's `sql_header` first, as the build sends it (on
 * BigQuery, the temp functions the model calls are defined there; without them its dry run fails with
 * "Function not found"). A header from YAML holding Jinja is rendered as the build renders it. Where the
 * warehouse's dry run cannot estimate some of the header's statements before the query (BigQuery: any but
 * temp functions make a script, whose dry run stops at its first DDL statement), they are left out, and the
 * note says which. `declaration`: what an incremental run declares before the model's SQL (dbt-bigquery's
 * `_dbt_max_partition`), sent first, as the build sends it.
 */
export async function dryRunQuery(p: PreparedProject, node: ManifestNode, query: string, relations: RelationIndex, tw: ReturnType<typeof templateWarehouse>, declaration?: string): Promise<DryRunQuery> {
  const sent = await withHeader(p, node, query, relations, tw);
  if (!declaration) return sent;
  const functions = sent.sql !== query;
  const note = functions ? `the declaration of _dbt_max_partition makes this dry run a script, whose dry run stops at its first DDL statement (the sql_header's temp functions): the query's bytes may be left out of the estimate` : undefined;
  const notes = [sent.note, note].filter(Boolean).join('; ');
  return { sql: `${declaration};\n${sent.sql}`, ...(notes ? { note: notes } : {}) };
}

async function withHeader(p: PreparedProject, node: ManifestNode, query: string, relations: RelationIndex, tw: ReturnType<typeof templateWarehouse>): Promise<DryRunQuery> {
  const written = typeof node.config.sql_header === 'string' ? node.config.sql_header.trim() : '';
  if (!written) return { sql: query };
  const { dialect } = p.adapter;
  const header = /\{[{%]/.test(written)
    ? (await p.engine.runRender(renderNodeOf(node, p.graph.manifest.packageDirs), written, runRenderContext({ dialect, thisRelation: relations.relationOf(node), resolver: indexResolver(relations, node.packageName), warehouse: tw }))).trim()
    : written;
  if (!header) return { sql: query };
  if (!dialect.dryRunWithHeader) return { sql: `${header}\n${query}` };
  const { sql, leftOut } = dialect.dryRunWithHeader(query, header);
  if (!leftOut.length) return { sql };
  const named = leftOut.map((s) => {
    const line = s.split('\n')[0]!.trim();
    return `"${line.length > 60 ? `${line.slice(0, 57)}...` : line}"`;
  });
  return { sql, note: `estimated without the sql_header's ${named.join(', ')} (a dry run of a multi-statement query stops at its first DDL statement, so only the header's temp functions were sent with the query)` };
}
