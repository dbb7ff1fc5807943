/** dbt's config precedence and merge rules, and reading folder configs from project.yml trees. */
import type { NodeConfig } from './types.js';
import { hookText } from '../project/index.js';

/** Configs whose values are mappings, so an unprefixed key holding a mapping is not a subfolder. */
const DICT_CONFIGS = new Set(['meta', 'persist_docs', 'partition_by', 'docs', 'column_types', 'labels', 'grants', 'contract', 'freshness', 'quarantine_tests']);
const KNOWN_SCALAR_CONFIGS = new Set([
  'materialized', 'schema', 'database', 'alias', 'tags', 'enabled', 'unique_key', 'incremental_strategy', 'on_schema_change', 'full_refresh',
  'pre_hook', 'post_hook', 'pre-hook', 'post-hook', 'cluster_by', 'quote_columns', 'delimiter', 'severity', 'warn_if', 'error_if', 'where', 'limit',
  'fail_calc', 'store_failures', 'store_failures_as', 'quarantine', 'require_partition_filter', 'partition_expiration_days', 'partitions', 'sql_header',
  'access', 'group', 'docs', 'event_time', 'batch_size', 'lookback', 'begin', 'strategy', 'updated_at', 'check_cols', 'target_schema', 'target_database',
  'snapshot_meta_column_names', 'hard_deletes', 'invalidate_hard_deletes', 'row_level', 'reland_changed', 'land_as', 'loaded_at_field',
]);

export function normaliseKey(key: string): string {
  const k = key.startsWith('+') ? key.slice(1) : key;
  return k === 'pre-hook' ? 'pre_hook' : k === 'post-hook' ? 'post_hook' : k;
}

const asList = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** Merges `update` into `base` the way dbt does: tags union, meta merge, hooks append, the rest override. */
export function mergeConfig(base: Record<string, unknown>, update: Record<string, unknown>): Record<string, unknown> {
  return mergeInto({ ...base }, update);
}

/** mergeConfig into `out` itself (a config this caller owns), without copying it first. */
function mergeInto(out: Record<string, unknown>, update: Record<string, unknown>): Record<string, unknown> {
  for (const rawKey in update) {
    const value = update[rawKey];
    const key = normaliseKey(rawKey);
    if (key === 'tags') out.tags = [...new Set([...(asList(out.tags) as string[]), ...(asList(value) as string[])].map(String))];
    else if ((key === 'meta' || key === 'docs') && value && typeof value === 'object') out[key] = { ...((out[key] as object) ?? {}), ...(value as object) };
    else if (key === 'pre_hook' || key === 'post_hook') out[key] = [...asList(out[key]), ...asList(value)].map(hookText);
    else out[key] = value;
  }
  return out;
}

/**
 * Config from a folder tree (`models:` in project.yml) for a node with this fqn:
 * `{ project: { +materialized: view, silver: { +schema: silver } } }`, fqn `[project, silver, complaints]`.
 */
const folderMemo = new WeakMap<object, Map<string, { config: Record<string, unknown>; level: unknown }>>();

export function folderConfig(tree: Record<string, unknown>, fqn: string[]): Record<string, unknown> {
  // Every model of a folder shares the folder's config: walk the tree once per folder, then check the name level.
  let memo = folderMemo.get(tree);
  if (!memo) folderMemo.set(tree, (memo = new Map()));
  const folderKey = fqn.slice(0, -1).join('/');
  let hit = memo.get(folderKey);
  if (!hit) {
    hit = walkTree(tree, fqn.slice(0, -1));
    memo.set(folderKey, hit);
  }
  const last = hit.level && typeof hit.level === 'object' ? (hit.level as Record<string, unknown>)[fqn[fqn.length - 1]!] : undefined;
  if (last && typeof last === 'object' && !Array.isArray(last)) return mergeConfig(hit.config, configKeysOf(last as Record<string, unknown>));
  return hit.config;
}

function walkTree(tree: Record<string, unknown>, fqn: string[]): { config: Record<string, unknown>; level: unknown } {
  // Configs at the top (`seeds: {+schema: raw}`, beside the project names) apply to every node, as dbt's.
  let config: Record<string, unknown> = configKeysOf(tree);
  let level: unknown = tree;
  for (const part of fqn) {
    const next = level && typeof level === 'object' ? (level as Record<string, unknown>)[part] : undefined;
    if (!next || typeof next !== 'object' || Array.isArray(next)) return { config, level: undefined };
    config = mergeConfig(config, configKeysOf(next as Record<string, unknown>));
    level = next;
  }
  return { config, level };
}

/** The config entries of one tree level (as opposed to its subfolders). */
export function configKeysOf(level: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(level)) {
    if (k.startsWith('+')) out[k.slice(1)] = v;
    else if (KNOWN_SCALAR_CONFIGS.has(k) && (typeof v !== 'object' || v === null || Array.isArray(v) || DICT_CONFIGS.has(k))) out[k] = v;
    else if (DICT_CONFIGS.has(k)) out[k] = v;
  }
  return out;
}

export function defaultConfig(materialized: string): NodeConfig {
  return { enabled: true, materialized, tags: [], meta: {}, pre_hook: [], post_hook: [], persist_docs: {}, alias: null, schema: null, database: null, full_refresh: null, on_schema_change: 'ignore', quoting: {}, column_types: {}, docs: { show: true, node_color: null } } as NodeConfig;
}

export function finalConfig(materialized: string, ...layers: Record<string, unknown>[]): NodeConfig {
  // A fresh default config: each layer is merged into it in place.
  const c: Record<string, unknown> = defaultConfig(materialized) as Record<string, unknown>;
  for (const layer of layers) mergeInto(c, layer);
  c.enabled = c.enabled !== false && c.enabled !== 'false';
  return c as NodeConfig;
}
