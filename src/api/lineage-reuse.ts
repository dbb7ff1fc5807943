import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LineageArtifact } from '../lineage/index.js';
import type { Manifest, ManifestNode } from '../parse/types.js';

/**
 * What a model compiled with the warehouse (`docs generate`) is traced from, kept in target/lineage.json so that a
 * command without one (`strata lineage`, `--select column:`) traces it the same while it is unchanged.
 */
export interface WarehouseCompiled {
  /** `compileChecksum`: of the model's code, config and the macros it calls, when it was compiled. */
  checksum: string;
  sql: string;
}

/**
 * A digest of what a model's compile depends on besides the warehouse: its raw code, its config, and the SQL of
 * every macro it calls, transitively. When it matches, the SQL compiled with the warehouse is the SQL of now
 * (unless the warehouse's answers changed, which only a new `docs generate` can tell).
 */
export function compileChecksum(node: ManifestNode, manifest: Manifest): string {
  const hash = createHash('sha256').update(node.rawCode).update('\u0000').update(JSON.stringify(node.config));
  const seen = new Set<string>();
  const visit = (ids: string[]): void => {
    for (const id of [...ids].sort()) {
      if (seen.has(id)) continue;
      seen.add(id);
      const macro = manifest.macros[id];
      hash.update('\u0000').update(id).update('\u0000').update(macro?.macroSql ?? '');
      if (macro) visit(macro.dependsOn.macros);
    }
  };
  visit(node.dependsOn.macros);
  return hash.digest('hex');
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
