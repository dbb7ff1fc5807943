import type { Diagnostic } from '../diagnostics/index.js';
import type { LoadedProject } from '../project/types.js';
import type { RawSourceTable } from './schema-yaml.js';
import type { ExternalSpec, SourceDefinition } from './types.js';
import { folderConfig, mergeConfig } from './node-config.js';
import { externalLocationOf } from './external-location.js';

/**
 * `sources:` entries → SourceDefinitions (`source.<project>.<source>.<table>`), table settings over source settings.
 * Where the relation is (`database`, `schema`, `identifier`) and `loader`, `loaded_at_field` may use
 * `{{ var() }}` and `{{ env_var() }}`, rendered by `renderProperty` (property-render.ts). `readsExternalLocation`:
 * the target's warehouse reads a source with `external_location` in place (its conventions say so).
 */
export function buildSources(project: LoadedProject, raw: RawSourceTable[], describe: (s: string) => string, renderProperty: <T>(value: T, what: string, at: { file: string; line?: number }) => T, readsExternalLocation = false): { sources: SourceDefinition[]; diagnostics: Diagnostic[] } {
  const cfg = project.config;
  const diagnostics: Diagnostic[] = [];
  const render = (value: unknown, r: RawSourceTable, key: string): unknown => renderProperty(value, `${key} of source ${r.sourceName}.${String(r.table.name)}`, { file: r.file, line: r.line });
  const seen = new Map<string, string>();
  const out: SourceDefinition[] = [];
  for (const r of raw) {
    const s = r.source;
    const t = r.table;
    const id = `source.${cfg.name}.${r.sourceName}.${String(t.name)}`;
    if (seen.has(id)) {
      diagnostics.push({ code: 'duplicate-source', severity: 'error', message: `source table ${r.sourceName}.${String(t.name)} is declared twice (${seen.get(id)} and ${r.file})`, file: r.file, line: r.line, hint: 'keep one declaration' });
      continue;
    }
    seen.set(id, r.file);
    const config = mergeConfig(mergeConfig(folderConfig(cfg.sources, [cfg.name, r.sourceName, String(t.name)]), (s.config as Record<string, unknown>) ?? {}), (t.config as Record<string, unknown>) ?? {});
    const freshness = (t.freshness === undefined ? s.freshness : t.freshness) as Record<string, unknown> | null | undefined;
    const external = (t.external ?? s.external) as ExternalSpec | undefined;
    out.push({
      uniqueId: id,
      resourceType: 'source',
      packageName: cfg.name,
      sourceName: r.sourceName,
      name: String(t.name),
      identifier: String(render(t.identifier ?? t.name, r, 'identifier')),
      database: render(t.database ?? s.database ?? s.project ?? project.target.database, r, 'database') as string | undefined,
      schema: String(render(t.schema ?? s.schema ?? s.dataset ?? r.sourceName, r, 'schema')),
      ...(s.quoting || t.quoting ? { quoting: { ...(s.quoting as object), ...(t.quoting as object) } } : {}),
      loader: String(render(s.loader ?? '', r, 'loader')),
      loadedAtField: render(t.loaded_at_field ?? s.loaded_at_field ?? config.loaded_at_field, r, 'loaded_at_field') as string | undefined,
      freshness: freshness ?? null,
      external,
      description: describe(String(t.description ?? '')),
      sourceDescription: describe(String(s.description ?? '')),
      // As a model column's, a source column's description may use doc().
      columns: Object.fromEntries(Object.entries(r.columns).map(([k, c]) => [k, { ...c, description: describe(c.description) }])),
      tags: [...new Set([...tagsOf(s.tags), ...tagsOf(t.tags)])],
      meta: { ...((s.meta as object) ?? {}), ...((t.meta as object) ?? {}) },
      // dbt 1.10 keeps the freshness in the source's config too (packages read `node.config.freshness`).
      config: { ...config, enabled: config.enabled !== false, freshness: (config.freshness as Record<string, unknown> | undefined) ?? freshness ?? null },
      fqn: [cfg.name, r.sourceName, String(t.name)],
      path: r.file,
      originalFilePath: r.file,
      at: { file: r.file, line: r.line ?? 1, column: 1 },
      ...({ extra: { dataTests: r.tests, columnTests: r.columnTests } } as object),
    } as SourceDefinition);
  }
  if (readsExternalLocation) for (const s of out) readInPlace(s, diagnostics);
  return { sources: out, diagnostics };
}

/** dbt-duckdb's `external_location`: the source is read where it lies (and so is not landed). */
function readInPlace(s: SourceDefinition, diagnostics: Diagnostic[]): void {
  const { sql, diagnostic } = externalLocationOf(s);
  if (diagnostic) diagnostics.push(diagnostic);
  if (!sql) return;
  if (s.external?.location) {
    diagnostics.push({ code: 'source-external-location-invalid', severity: 'error', message: `source ${s.sourceName}.${s.name} has both external: (files Strata lands into a table) and external_location (files read in place)`, file: s.originalFilePath, ...(s.at?.line ? { line: s.at.line } : {}), hint: 'keep external: to land the files into bronze, or external_location to query them where they are' });
    return;
  }
  s.externalLocation = sql;
}

/** `tags:` as written: a tag or a list of them (anything else is reported by the property file's checks). */
function tagsOf(v: unknown): string[] {
  return typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
