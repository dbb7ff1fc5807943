/**
 * dbt's `grants` config (`grants: {'roles/bigquery.dataViewer': ['group:analysts@example.com']}`): after a
 * table or view is built, the grants it should have are compared with those it has, as dbt does — the
 * extra ones revoked, the missing ones granted — so a grantee removed from the config loses access. A
 * relation built for the first time only gets its grants. Warehouses without grants leave them out (the
 * run warns once, see `grantWarnings`).
 */
import type { Connection, Dialect, Relation, RelationKind } from '../adapters/contract.js';
import type { Diagnostic } from '../diagnostics/index.js';
import type { ManifestNode } from '../parse/types.js';

/** The node's `grants`, privilege → grantees; undefined when it sets none. */
export function grantsOf(node: ManifestNode): Map<string, string[]> | undefined {
  return grantMap(node.config.grants);
}

/** A `grants` config (privilege → a grantee or a list), privilege → grantees; undefined when it has none. */
export function grantMap(raw: unknown): Map<string, string[]> | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const out = new Map<string, string[]>();
  for (const [privilege, who] of Object.entries(raw as Record<string, unknown>)) {
    const list = (Array.isArray(who) ? who : who === undefined || who === null || who === '' ? [] : [who]).map(String);
    out.set(privilege, [...new Set(list)]);
  }
  return out.size ? out : undefined;
}

/** Revokes and grants until the relation has exactly the configured grants; returns the statements run. */
export async function applyGrants(connection: Connection, dialect: Dialect, relation: Relation, kind: RelationKind, wanted: Map<string, string[]>, existed: boolean): Promise<string[]> {
  if (!dialect.grantSql || !dialect.revokeSql || !connection.getGrants) return [];
  const current = existed ? await connection.getGrants(relation) : new Map<string, Set<string>>();
  const statements: string[] = [];
  for (const [privilege, has] of current) {
    const keep = new Set(wanted.get(privilege) ?? []);
    const extra = [...has].filter((g) => !keep.has(g)).sort();
    if (extra.length) statements.push(dialect.revokeSql(relation, kind, privilege, extra));
  }
  for (const [privilege, who] of wanted) {
    const has = current.get(privilege) ?? new Set<string>();
    const missing = who.filter((g) => !has.has(g)).sort();
    if (missing.length) statements.push(dialect.grantSql(relation, kind, privilege, missing));
  }
  for (const sql of statements) await connection.execute(sql);
  return statements;
}

/** Selected nodes with grants on a warehouse without them: one warning, naming how many. */
export function grantWarnings(nodes: ManifestNode[], dialect: Pick<Dialect, 'name' | 'grantSql'>): Diagnostic[] {
  if (dialect.grantSql) return [];
  const withGrants = nodes.filter((n) => grantsOf(n));
  if (!withGrants.length) return [];
  return [{ code: 'grants-unsupported', severity: 'warn', message: `${withGrants.length} selected node(s) set grants (${withGrants.slice(0, 3).map((n) => n.name).join(', ')}${withGrants.length > 3 ? ', …' : ''}), which ${dialect.name} does not have: they are not applied`, file: withGrants[0]!.patchPath ?? withGrants[0]!.originalFilePath, hint: 'grants apply on a target whose warehouse has them; leave them in the config for that target' }];
}
