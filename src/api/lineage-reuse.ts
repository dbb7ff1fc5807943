import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LineageArtifact } from '../lineage/index.js';
import type { Manifest, ManifestNode } from '../parse/types.js';
import { envDigest, varDigest } from '../templating/render-scope.js';
import type { PreparedProject } from './prepare.js';

/**
 * What a model compiled with the warehouse (`docs generate`) is traced from, kept in target/lineage.json so that a
 * command without one (`strata lineage`, `--select column:`) traces it the same while it is unchanged.
 */
export interface WarehouseCompiled {
  /** `compileChecksum`: of the model's code, config, the macros it calls, its parents' relations, the target, vars and env it read, when it was compiled. */
  checksum: string;
  sql: string;
}

/**
 * What a compile depends on besides the model's code and macros: the target (a model's relation names and
 * `target.*` come from it), the vars (the project's merged with `--vars`, and each package's) and the environment
 * `env_var()` reads. Taken once per command by `compileInputs`.
 */
export interface CompileInputs {
  target: { name: string; type: string; database?: string; schema: string };
  vars: Record<string, unknown>;
  packageVars: Record<string, Record<string, unknown>>;
  env: NodeJS.ProcessEnv;
}

export function compileInputs(p: Pick<PreparedProject, 'project' | 'env'>): CompileInputs {
  const { name, type, database, schema } = p.project.target;
  return { target: { name, type, ...(database !== undefined ? { database } : {}), schema }, vars: p.project.config.vars, packageVars: p.project.config.packageVars ?? {}, env: p.env };
}

/** `env_var('NAME')` with a literal name, in a model's or a macro's code. */
const ENV_READ = /\benv_var\s*\(\s*(['"])([^'"]+)\1/g;

/**
 * A digest of what a model's compile depends on besides the warehouse: its raw code, its config, the SQL of
 * every macro it calls, transitively, where it and each of its parents live (relationParts, and the project's
 * `quoting:`), an ephemeral parent's own digest, the target, all vars, and the value of each env var that code
 * reads by a literal name (as the parse cache, by envDigest and varDigest: the digest holds no value). When it matches,
 * the SQL compiled with the warehouse is the SQL of now (unless the warehouse's answers changed, which only a new
 * `docs generate` can tell).
 */
export function compileChecksum(node: ManifestNode, manifest: Manifest, inputs: CompileInputs): string {
  const hash = createHash('sha256').update(node.rawCode).update('\u0000').update(JSON.stringify(node.config));
  const envNames = new Set<string>();
  const readsEnv = (code: string): void => {
    for (const m of code.matchAll(ENV_READ)) envNames.add(m[2]!);
  };
  readsEnv(node.rawCode);
  const seen = new Set<string>();
  const visit = (ids: string[]): void => {
    for (const id of [...ids].sort()) {
      if (seen.has(id)) continue;
      seen.add(id);
      const macro = manifest.macros[id];
      hash.update('\u0000').update(id).update('\u0000').update(macro?.macroSql ?? '');
      if (macro) (readsEnv(macro.macroSql), visit(macro.dependsOn.macros));
    }
  };
  visit(node.dependsOn.macros);
  hash.update('\u0000').update(JSON.stringify([relationParts(node.uniqueId, manifest), manifest.quoting ?? null]));
  for (const id of [...node.dependsOn.nodes].sort()) {
    hash.update('\u0000').update(JSON.stringify(relationParts(id, manifest)));
    // An ephemeral parent is inlined as a CTE: its own compile is part of this one.
    const parent = manifest.nodes[id];
    if (parent?.config.materialized === 'ephemeral') hash.update('\u0000').update(compileChecksum(parent, manifest, inputs));
  }
  const { target, vars, packageVars, env } = inputs;
  hash.update('\u0000').update(JSON.stringify(target)).update('\u0000').update(varDigest(vars) ?? '').update('\u0000').update(varDigest(packageVars[node.packageName]) ?? '');
  for (const name of [...envNames].sort()) hash.update('\u0000').update(name).update('=').update(envDigest(env[name]) ?? '-');
  return hash.digest('hex');
}

/**
 * What `ref()`/`source()` (and `this`) render a node or source as: its database, schema and name (a model's alias, a
 * source's identifier), its own quoting, a model's materialization (an ephemeral one is a CTE) and a source's
 * external location. The kept SQL names the relations of then; the lineage resolves those names against the project
 * of now, so a parent renamed (and another relation given its old name) must make the SQL out of date.
 */
function relationParts(id: string, manifest: Manifest): unknown[] {
  const source = manifest.sources[id];
  if (source) return [id, source.database ?? null, source.schema, source.identifier, source.quoting ?? null, source.externalLocation ?? null];
  const node = manifest.nodes[id];
  if (node) return [id, node.database ?? null, node.schema, node.alias, node.config.materialized ?? null, node.config.quoting ?? null];
  return [id];
}

/** target/lineage.json's SQL compiled with the warehouse, by unique id; empty when there is none or it is unreadable. */
export function readWarehouseCompiled(targetDir: string): Map<string, WarehouseCompiled> {
  const out = new Map<string, WarehouseCompiled>();
  const file = join(targetDir, 'lineage.json');
  if (!existsSync(file)) return out;
  try {
    const artifact = JSON.parse(readFileSync(file, 'utf8')) as LineageArtifact;
    for (const [id, entry] of Object.entries(artifact.nodes ?? {})) {
      const kept = entry.compiled_with_warehouse;
      if (kept && typeof kept.checksum === 'string' && typeof kept.sql === 'string') out.set(id, kept);
    }
  } catch {
    // An unreadable lineage.json is treated as absent: such models stay untraced, saying why.
  }
  return out;
}
