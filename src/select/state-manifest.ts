import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import { stateResults, type StateResults } from './state-results.js';
import { strataMacroId } from '../artifacts/dbt-macro-identity.js';

/** What state comparison needs of one node of a saved manifest (dbt's or Strata's `manifest.json`). */
export interface StateNode {
  resourceType: string;
  checksum?: string;
  unrenderedConfig: Record<string, unknown>;
  persistDocs: { relation?: boolean; columns?: boolean };
  description: string;
  columns: Record<string, { description: string; dataType: string | null }>;
  macros: string[];
  contractEnforced: boolean;
  /** Where it was built; undefined for ephemeral models and tests. */
  relation?: { database?: string; schema: string; identifier: string };
}

/** A saved manifest (`--state DIR`): the production run's, say, for `state:modified` and `--defer`. */
export interface StateManifest {
  path: string;
  nodes: Map<string, StateNode>;
  sources: Map<string, { database?: string; schema: string; identifier: string }>;
  exposures: Set<string>;
  macros: Map<string, string>;
  /** Written by Strata (`metadata.strata_version`), not by dbt: its dbt-package macros are Strata's, comparable with this run's. */
  byStrata?: boolean;
  /** `run_results.json` and `sources.json` beside it (and this target's `sources.json`), for `result:` and `source_status:`. */
  results?: StateResults;
}

type Json = Record<string, unknown>;

function stateNode(n: Json): StateNode {
  const config = (n.config ?? {}) as Json;
  const columns: StateNode['columns'] = {};
  for (const [k, c] of Object.entries((n.columns ?? {}) as Record<string, Json>)) columns[k] = { description: String(c.description ?? ''), dataType: c.data_type === undefined || c.data_type === null ? null : String(c.data_type) };
  const materialized = config.materialized;
  const built = ['model', 'seed', 'snapshot'].includes(String(n.resource_type)) && materialized !== 'ephemeral';
  return {
    resourceType: String(n.resource_type),
    checksum: (n.checksum as Json | undefined)?.checksum as string | undefined,
    unrenderedConfig: (n.unrendered_config ?? {}) as Json,
    persistDocs: (config.persist_docs ?? {}) as StateNode['persistDocs'],
    description: String(n.description ?? ''),
    columns,
    macros: (((n.depends_on ?? {}) as Json).macros ?? []) as string[],
    contractEnforced: ((config.contract ?? {}) as Json).enforced === true,
    ...(built ? { relation: { ...(n.database ? { database: String(n.database) } : {}), schema: String(n.schema), identifier: String(n.alias ?? n.name) } } : {}),
  };
}

/** Reads `DIR/manifest.json`; a missing or unreadable file is a diagnostic naming it. `currentTargetDir`: this target's folder, for its `sources.json`. */
export function readStateManifest(dir: string, currentTargetDir?: string): StateManifest | Diagnostic {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) {
    return { code: 'state-not-found', severity: 'error', message: `--state ${dir}: there is no manifest.json there`, file: '--state', hint: 'point --state at the target/ folder (or a copy of its manifest.json) of the run to compare with, e.g. the last production run' };
  }
  let raw: Json;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8')) as Json;
  } catch (e) {
    return { code: 'state-invalid', severity: 'error', message: `${path} is not a manifest: ${(e as Error).message.split('\n')[0]}`, file: path, hint: 'use the manifest.json a dbt or Strata run wrote' };
  }
  const nodes = new Map<string, StateNode>();
  // Unit tests have their own section in manifest.json (dbt 1.8): read there, they are not new on every run.
  for (const section of [raw.nodes, raw.unit_tests]) for (const [id, n] of Object.entries((section ?? {}) as Record<string, Json>)) nodes.set(id, stateNode(n));
  const sources = new Map<string, { database?: string; schema: string; identifier: string }>();
  for (const [id, s] of Object.entries((raw.sources ?? {}) as Record<string, Json>)) sources.set(id, { ...(s.database ? { database: String(s.database) } : {}), schema: String(s.schema), identifier: String(s.identifier ?? s.name) });
  const byStrata = typeof (raw.metadata as Json | undefined)?.strata_version === 'string';
  // Strata writes its built-ins with dbt's ids (macro.dbt_duckdb.…) and reads them as its own (macro.dbt.…).
  const own = byStrata ? strataMacroId : (id: string): string => id;
  const macros = new Map<string, string>();
  for (const [id, m] of Object.entries((raw.macros ?? {}) as Record<string, Json>)) macros.set(own(id), String(m.macro_sql ?? ''));
  if (byStrata) for (const n of nodes.values()) n.macros = n.macros.map(own);
  return { path, nodes, sources, exposures: new Set(Object.keys((raw.exposures ?? {}) as Json)), macros, byStrata, results: stateResults(dir, currentTargetDir) };
}
