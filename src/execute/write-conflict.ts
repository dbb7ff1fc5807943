/**
 * DuckDB's answer when two transactions write one table at the same time ("TransactionContext Error: Conflict on
 * update!", "Catalog write-write conflict on create with …"): the first to write wins and the others fail. With
 * `threads` above 1 that is two nodes (or their hooks) built side by side writing the same table, a mistake in
 * the project: a typed diagnostic names the table, the hook, where it is written and the other nodes that write
 * the table, with the fix; DuckDB's own message stays at its end.
 */
import type { Relation } from '../adapters/contract.js';
import type { Diagnostic } from '../diagnostics/index.js';
import { failedHook, type FailedHook, type HookSiteOf } from '../materializations/index.js';
import type { ManifestNode } from '../parse/types.js';
import { hookOf } from '../project/index.js';

export interface ConflictContext {
  node: ManifestNode;
  /** The project's nodes, among which the others writing the table are looked for. */
  nodes: ManifestNode[];
  relationOf: (node: ManifestNode) => Relation;
  siteOf: HookSiteOf;
  threads: number;
}

const CONFLICT = /TransactionContext Error: (?:Catalog write-write conflict on \w+ with "([^"]*)"|Conflict on (?:update|tuple deletion|append))/i;
const WRITES = /\b(?:update|insert\s+(?:or\s+\w+\s+)?into|delete\s+from|(?:create\s+(?:or\s+replace\s+)?|replace\s+)(?:temp\w*\s+)?table(?:\s+if\s+not\s+exists)?|alter\s+table|drop\s+table(?:\s+if\s+exists)?|truncate(?:\s+table)?)\s+([\w".]+)/i;
const BUILT = new Set(['model', 'seed', 'snapshot']);

const keyOf = (r: Relation): string => `${r.schema}.${r.identifier}`.toLowerCase();
const shortOf = (sql: string): string => {
  const one = sql.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
};

/** `Schema\0main\0main\0Table\0main\0shared` (DuckDB's catalog entry) → `main.shared`. */
function catalogTable(entry: string): string | undefined {
  const parts = entry.split(/\\0|\u0000/);
  const at = parts.findIndex((p) => p === 'Table' || p === 'View');
  return at >= 0 && parts.length >= at + 3 ? `${parts[at + 1]}.${parts[at + 2]}`.toLowerCase() : undefined;
}

/** The table a statement writes, as `schema.name` (the last two parts of its name), else its bare name. */
function writtenTable(sql: string): string | undefined {
  const name = WRITES.exec(sql)?.[1]?.replace(/"/g, '').toLowerCase();
  return name ? name.split('.').slice(-2).join('.') : undefined;
}

/** How `other` writes `table`: it builds it, or one of its hooks names it. */
function writerOf(other: ManifestNode, table: string, c: ConflictContext): string | undefined {
  if (!BUILT.has(other.resourceType) || other.config.enabled === false || other.config.materialized === 'ephemeral') return undefined;
  if (keyOf(c.relationOf(other)) === table || keyOf(c.relationOf(other)).endsWith(`.${table}`)) return `${other.resourceType} '${other.name}' (its build)`;
  const identifier = table.split('.').at(-1)!;
  const names = new RegExp(`\\b${identifier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i');
  for (const place of ['pre-hook', 'post-hook'] as const) {
    const hooks = (place === 'pre-hook' ? other.config.pre_hook : other.config.post_hook) ?? [];
    const index = hooks.findIndex((h) => names.test(hookOf(h).sql));
    if (index >= 0) return `${other.resourceType} '${other.name}' (${place} ${index + 1})`;
  }
  return undefined;
}

function hint(c: ConflictContext, hook: FailedHook | undefined, writers: string[], sameRelation: boolean): string {
  if (sameRelation) return 'two nodes build one relation: give one of them another alias or schema';
  const first = /'([^']+)'/.exec(writers[0] ?? '')?.[1];
  const order = first
    ? `make '${c.node.name}' wait for '${first}' (add -- depends_on: {{ ref('${first}') }} to ${c.node.originalFilePath}), or run with --threads 1`
    : 'run the nodes that write it one after another (--threads 1, or a ref between them)';
  const counter = hook && /^\s*update\b/i.test(hook.sql) ? '; a shared counter updated by several nodes can instead take one inserted row per node (inserts do not conflict), added up when read' : '';
  return `${order}${counter}`;
}

/** The conflict as a diagnostic, or undefined when `error` is no write-write conflict. */
export function writeConflictDiagnostic(error: unknown, c: ConflictContext): Diagnostic | undefined {
  const raw = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
  const m = CONFLICT.exec(raw);
  if (!m) return undefined;
  const hook = failedHook(error);
  const table = (m[1] ? catalogTable(m[1]) : undefined) ?? (hook ? writtenTable(hook.sql) : keyOf(c.relationOf(c.node)));
  const writers = table ? c.nodes.filter((n) => n.uniqueId !== c.node.uniqueId).map((n) => writerOf(n, table, c)).filter((w): w is string => !!w) : [];
  const what = hook ? `${hook.place} ${hook.index + 1} ('${shortOf(hook.sql)}')` : 'its build';
  const others = writers.length ? `; also written by ${writers.slice(0, 5).join(', ')}${writers.length > 5 ? ` and ${writers.length - 5} more` : ''}` : '';
  const side = c.threads > 1 ? ` (nodes run side by side with threads: ${c.threads})` : '';
  const message = `${c.node.resourceType} '${c.node.name}': ${what} wrote ${table ?? 'a table'} while another transaction was writing it${side}, and the warehouse fails all but the first writer${others}. The warehouse said: ${raw}`;
  const site = hook ? c.siteOf(hook.place, hook.index) : undefined;
  return { code: 'write-conflict', severity: 'error', message, file: site?.file ?? c.node.originalFilePath, ...(site?.line ? { line: site.line } : {}), hint: hint(c, hook, writers, writers.some((w) => w.endsWith('(its build)')) && !hook) };
}
