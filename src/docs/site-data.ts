import type { LineageFile, SiteColumn, SiteData, SiteNode, SiteRun } from './site-types.js';

/** The artifacts as parsed JSON (dbt field names); only manifest.json is required. */
export interface DocsArtifacts {
  manifest: Json;
  catalog?: Json;
  runResults?: Json;
  sources?: Json;
  lineage?: LineageFile;
  /** Compiled SQL by unique id (from target/compiled/ or the manifest). */
  compiled: Record<string, string>;
}
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const LAYERS = ['bronze', 'silver', 'gold'];

function layerOf(fqn: string[], tags: string[], path: string): string | undefined {
  const parts = [...fqn, ...path.split('/')];
  return LAYERS.find((l) => parts.includes(l)) ?? LAYERS.find((l) => tags.includes(l));
}

function runOf(r: Json): SiteRun {
  const response = (r.adapter_response ?? {}) as Json;
  const started = Array.isArray(r.timing) ? (r.timing as Json[]).find((t) => t.name === 'execute')?.started_at : undefined;
  const run: SiteRun = { status: String(r.status), executionTime: Number(r.execution_time ?? 0), message: r.message ?? null };
  if (started) run.startedAt = started;
  if (typeof response.rows_affected === 'number') run.rowsAffected = response.rows_affected;
  if (typeof response.bytes_processed === 'number') run.bytesProcessed = response.bytes_processed;
  if (r.failures !== undefined) run.failures = r.failures;
  if (typeof response.files_landed === 'number') run.files = { landed: response.files_landed, skipped: response.files_skipped, failed: response.files_failed };
  if (typeof response.rows_quarantined === 'number') run.quarantined = response.rows_quarantined;
  return run;
}

function columnsOf(node: Json, catalogEntry: Json | undefined, testsByColumn: Map<string, string[]>): SiteColumn[] {
  const declared = (node.columns ?? {}) as Record<string, Json>;
  const catalogued = Object.values((catalogEntry?.columns ?? {}) as Record<string, Json>).sort((a, b) => a.index - b.index);
  const out: SiteColumn[] = [];
  const seen = new Set<string>();
  const add = (name: string, c: Json | undefined, type: string | undefined) => {
    const key = name.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    const col: SiteColumn = { name, description: c?.description ?? '', tags: c?.tags ?? [], constraints: c?.constraints ?? [], tests: testsByColumn.get(key) ?? [] };
    if (type) col.type = type;
    if (c?.data_type) col.declaredType = c.data_type;
    out.push(col);
  };
  const declaredByKey = new Map(Object.entries(declared).map(([k, v]) => [k.toLowerCase(), v]));
  for (const c of catalogued) add(c.name, declaredByKey.get(String(c.name).toLowerCase()), c.type);
  for (const [name, c] of Object.entries(declared)) add(name, c, undefined);
  return out;
}

/** A node's config without null, empty and default entries: what a reader (and `config.<key>:` selectors) can match. */
function trimConfig(config: Json | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config ?? {})) {
    if (v === null || v === undefined || (Array.isArray(v) && !v.length) || (typeof v === 'object' && !Array.isArray(v) && !Object.keys(v).length)) continue;
    if (k === 'docs' && (v as Json).show === true && !(v as Json).node_color) continue;
    out[k] = v;
  }
  return out;
}

/** Kahn's algorithm, ties broken by id, so the order is stable between runs. */
function topologicalOrder(ids: string[], parents: Record<string, string[]>): string[] {
  const known = new Set(ids);
  const indegree = new Map(ids.map((id) => [id, 0]));
  const children = new Map<string, string[]>();
  for (const id of ids) for (const p of parents[id] ?? []) if (known.has(p) && p !== id) {
    indegree.set(id, indegree.get(id)! + 1);
    children.set(p, [...(children.get(p) ?? []), id]);
  }
  const ready = ids.filter((id) => indegree.get(id) === 0).sort();
  const out: string[] = [];
  for (let i = 0; i < ready.length; i++) {
    const id = ready[i]!;
    out.push(id);
    const freed: string[] = [];
    for (const c of children.get(id) ?? []) {
      indegree.set(c, indegree.get(c)! - 1);
      if (indegree.get(c) === 0) freed.push(c);
    }
    ready.push(...freed.sort());
  }
  // A cycle cannot reach a written manifest, but never drop a node if one did.
  if (out.length < ids.length) {
    const placed = new Set(out);
    for (const id of ids) if (!placed.has(id)) out.push(id);
  }
  return out;
}

function extraOf(n: Json, freshness: Map<string, Json>): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  const copy = (key: string, value: unknown) => {
    if (value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0)) extra[key] = value;
  };
  switch (n.resource_type) {
    case 'source':
      copy('sourceName', n.source_name);
      copy('sourceDescription', n.source_description);
      copy('loader', n.loader || undefined);
      copy('loadedAtField', n.loaded_at_field);
      copy('freshnessCriteria', n.freshness);
      copy('external', n.external);
      copy('freshness', freshness.get(n.unique_id));
      break;
    case 'test':
      copy('testMetadata', n.test_metadata);
      copy('columnName', n.column_name);
      copy('attachedNode', n.attached_node);
      break;
    case 'exposure':
      for (const k of ['type', 'owner', 'url', 'maturity', 'label']) copy(k, n[k]);
      break;
    case 'macro':
      copy('arguments', n.arguments);
      break;
    case 'unit_test':
      copy('model', n.model);
      copy('given', n.given);
      copy('expect', n.expect);
      break;
  }
  copy('version', n.version);
  copy('latestVersion', n.latest_version);
  copy('meta', n.meta && Object.keys(n.meta).length ? n.meta : undefined);
  copy('constraints', n.constraints);
  copy('schema', n.schema);
  copy('database', n.database);
  if (n.alias !== n.name) copy('alias', n.alias);
  return extra;
}

/** Artifacts → the site's data. Pure. */
export function buildSiteData(a: DocsArtifacts): SiteData {
  const m = a.manifest;
  const all: Json[] = [...Object.values(m.nodes ?? {}), ...Object.values(m.sources ?? {}), ...Object.values(m.exposures ?? {}), ...Object.values(m.unit_tests ?? {})] as Json[];
  const parentMap: Record<string, string[]> = {};
  for (const n of all) parentMap[n.unique_id] = n.resource_type === 'source' ? [] : (m.parent_map?.[n.unique_id] ?? n.depends_on?.nodes ?? []);
  for (const u of Object.values(m.unit_tests ?? {}) as Json[]) parentMap[u.unique_id] = u.depends_on?.nodes ?? [];
  const childMap: Record<string, string[]> = {};
  for (const [id, ps] of Object.entries(parentMap)) for (const p of ps) (childMap[p] ??= []).push(id);

  const results = new Map<string, Json>(((a.runResults?.results ?? []) as Json[]).map((r) => [r.unique_id, r]));
  const freshness = new Map<string, Json>(((a.sources?.results ?? []) as Json[]).map((r) => [r.unique_id, r]));
  const testsOf = new Map<string, string[]>();
  const columnTests = new Map<string, Map<string, string[]>>();
  for (const n of all) {
    if (n.resource_type !== 'test' && n.resource_type !== 'unit_test') continue;
    const targets = n.attached_node ? [n.attached_node] : parentMap[n.unique_id] ?? [];
    for (const t of targets) testsOf.set(t, [...(testsOf.get(t) ?? []), n.unique_id]);
    if (n.attached_node && n.column_name) {
      const byCol = columnTests.get(n.attached_node) ?? new Map<string, string[]>();
      const key = String(n.column_name).toLowerCase();
      byCol.set(key, [...(byCol.get(key) ?? []), n.unique_id]);
      columnTests.set(n.attached_node, byCol);
    }
  }
  const byId = new Map(all.map((n) => [n.unique_id as string, n]));
  const order = topologicalOrder([...byId.keys()], parentMap);
  const nodes: SiteNode[] = order.map((id) => {
    const n = byId.get(id)!;
    const catalogEntry = a.catalog?.nodes?.[id] ?? a.catalog?.sources?.[id];
    const tags: string[] = n.tags ?? n.config?.tags ?? [];
    const path: string = n.original_file_path ?? '';
    const node: SiteNode = {
      id, type: n.resource_type, name: n.name, packageName: n.package_name ?? '', path, fqn: n.fqn ?? [], tags,
      description: n.description ?? '', config: trimConfig(n.config), relation: n.relation_name ?? null,
      columns: columnsOf(n, catalogEntry, columnTests.get(id) ?? new Map()),
      parents: parentMap[id] ?? [], children: (childMap[id] ?? []).sort(), tests: testsOf.get(id) ?? [], extra: extraOf(n, freshness),
    };
    const layer = layerOf(node.fqn, tags, path);
    if (layer) node.layer = layer;
    if (n.raw_code) node.raw = n.raw_code;
    const compiled = n.compiled_code ?? a.compiled[id];
    if (compiled) node.compiled = compiled;
    const r = results.get(id);
    if (r) node.run = runOf(r);
    return node;
  });
  for (const mac of Object.values(m.macros ?? {}) as Json[]) {
    if (mac.package_name !== m.metadata?.project_name) continue; // the project's own macros, not the built-ins
    nodes.push({ id: mac.unique_id, type: 'macro', name: mac.name, packageName: mac.package_name, path: mac.original_file_path, fqn: [mac.package_name, mac.name], tags: [], description: mac.description ?? '', config: {}, columns: [], raw: mac.macro_sql, parents: [], children: [], tests: [], extra: extraOf(mac, freshness) });
  }
  const artifacts = ['manifest.json', ...(a.catalog ? ['catalog.json'] : []), ...(a.runResults ? ['run_results.json'] : []), ...(a.sources ? ['sources.json'] : []), ...(a.lineage ? ['lineage.json'] : [])];
  const data: SiteData = { projectName: m.metadata?.project_name ?? '', adapterType: m.metadata?.adapter_type ?? '', generatedAt: m.metadata?.generated_at ?? '', nodes, artifacts };
  if (a.runResults?.metadata?.generated_at) data.runGeneratedAt = a.runResults.metadata.generated_at;
  // What the site shows of each model's lineage: not the SQL lineage.json keeps for `strata lineage` (data-sql.js has it).
  if (a.lineage) data.lineage = { ...a.lineage, nodes: Object.fromEntries(Object.entries(a.lineage.nodes).map(([id, n]) => [id, { status: n.status, ...(n.reason !== undefined ? { reason: n.reason } : {}), columns: n.columns, ...(n.filters ? { filters: n.filters } : {}) }])) };
  return data;
}
