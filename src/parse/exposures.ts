import type { Diagnostic } from '../diagnostics/index.js';
import type { LoadedProject } from '../project/types.js';
import type { RawExposure } from './schema-yaml.js';
import type { Exposure, RefCall, SourceCall } from './types.js';
import { folderConfig, mergeConfig } from './node-config.js';

const TYPES = ['dashboard', 'notebook', 'analysis', 'ml', 'application'];
const MATURITIES = ['high', 'medium', 'low'];
const STRING = String.raw`\s*(?:'([^']*)'|"([^"]*)")\s*`;
const REF = new RegExp(String.raw`^ref\(${STRING}(?:,${STRING})?(?:,\s*(?:v|version)\s*=\s*(?:'([^']*)'|"([^"]*)"|(\d+(?:\.\d+)?))\s*)?\)$`);
const SOURCE = new RegExp(String.raw`^source\(${STRING},${STRING}\)$`);
const METRIC = new RegExp(String.raw`^metric\(${STRING}(?:,${STRING})?\)$`);

type Dependency = { ref: RefCall } | { source: SourceCall } | { metric: string } | undefined;

/** One `depends_on` entry (`ref('orders')`, `source('crm', 'customers')`, `metric('revenue')`, with or without `{{ }}`). */
export function readDependency(text: string): Dependency {
  const call = text.trim().replace(/^\{\{\s*([\s\S]*?)\s*\}\}$/, '$1');
  let m = REF.exec(call);
  if (m) {
    const first = m[1] ?? m[2]!;
    const second = m[3] ?? m[4];
    const version = m[5] ?? m[6] ?? (m[7] === undefined ? undefined : Number(m[7]));
    return { ref: second === undefined ? { name: first, ...(version !== undefined ? { version } : {}) } : { package: first, name: second, ...(version !== undefined ? { version } : {}) } };
  }
  m = SOURCE.exec(call);
  if (m) return { source: { source: m[1] ?? m[2]!, table: m[3] ?? m[4]! } };
  m = METRIC.exec(call);
  if (m) return { metric: m[3] ?? m[4] ?? m[1] ?? m[2]! };
  return undefined;
}

/**
 * `exposures:` entries → Exposures (`exposure.<project>.<name>`), checked as dbt checks them: a name of
 * letters, digits and underscores, a known `type`, an `owner` with a name or an email, a known `maturity`.
 * Their refs and sources are resolved with the graph (build-graph.ts).
 */
export function buildExposures(project: LoadedProject, raw: RawExposure[], describe: (s: string) => string, renderProperty: <T>(value: T, what: string, at: { file: string; line?: number }) => T): { exposures: Exposure[]; diagnostics: Diagnostic[] } {
  const cfg = project.config;
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, string>();
  const out: Exposure[] = [];
  for (const r of raw) {
    const e = r.entry;
    const at = { file: r.file, line: r.line };
    const invalid = (message: string, hint: string, line = r.line): void => {
      diagnostics.push({ code: 'exposure-invalid', severity: 'error', message, file: r.file, line, hint });
    };
    if (typeof e.name !== 'string' || !/^\w+$/.test(e.name)) {
      invalid(typeof e.name === 'string' ? `exposure name '${e.name}' may contain only letters, digits and underscores` : 'each exposure needs a name', "use a snake_case name, and put the human-friendly title in 'label:'");
      continue;
    }
    const name = e.name;
    const what = `exposure '${name}'`;
    if (seen.has(name)) {
      diagnostics.push({ code: 'duplicate-exposure', severity: 'error', message: `${what} is declared twice: ${seen.get(name)} and ${r.file}`, file: r.file, line: r.line, hint: 'exposure names must be unique in a project: rename or remove one' });
      continue;
    }
    seen.set(name, r.file);
    if (typeof e.type !== 'string' || !TYPES.includes(e.type)) invalid(`${what} has ${e.type === undefined ? 'no type' : `type '${String(e.type)}'`}`, `set type: to one of ${TYPES.join(', ')}`);
    if (e.maturity !== undefined && e.maturity !== null && !MATURITIES.includes(String(e.maturity))) invalid(`${what} has maturity '${String(e.maturity)}'`, `set maturity: to one of ${MATURITIES.join(', ')}, or remove it`);
    const owner = renderProperty(e.owner, `the owner of ${what}`, at) as Record<string, unknown> | undefined;
    if (!owner || typeof owner !== 'object' || Array.isArray(owner) || (typeof owner.name !== 'string' && typeof owner.email !== 'string')) {
      invalid(`${what} needs an owner with a name or an email`, 'add owner: {name: Analytics team, email: data@example.com}');
    }
    const refs: RefCall[] = [];
    const sources: SourceCall[] = [];
    const metrics: string[] = [];
    if (e.depends_on !== undefined && e.depends_on !== null && !Array.isArray(e.depends_on)) invalid(`depends_on of ${what} must be a list`, "write depends_on:\n  - ref('orders')");
    const deps = Array.isArray(e.depends_on) ? e.depends_on : [];
    deps.forEach((d, j) => {
      const line = r.dependsOnLines[j] ?? r.line;
      const dep = typeof d === 'string' ? readDependency(d) : undefined;
      const where = { file: r.file, line: line ?? 1, column: 1 };
      if (!dep) invalid(`depends_on entry ${JSON.stringify(d)} of ${what} is not ref(), source() or metric()`, "write each entry as ref('model'), ref('package', 'model'), source('source', 'table') or metric('name')", line);
      else if ('ref' in dep) refs.push({ ...dep.ref, at: where });
      else if ('source' in dep) sources.push({ ...dep.source, at: where });
      else {
        metrics.push(dep.metric);
        diagnostics.push({ code: 'exposure-metric-ignored', severity: 'warn', message: `${what} depends on metric('${dep.metric}'); Strata has no metrics yet, so that dependency is not checked or selected`, file: r.file, line, hint: "ref the models the metric is built on to keep them upstream of the exposure" });
      }
    });
    const dirs = r.pathInResource.split('/').slice(0, -1);
    const fqn = [cfg.name, ...dirs, name];
    const written = renderProperty({ ...((e.config as Record<string, unknown>) ?? {}), ...(e.enabled !== undefined ? { enabled: e.enabled } : {}), ...(e.tags !== undefined ? { tags: e.tags } : {}), ...(e.meta !== undefined ? { meta: e.meta } : {}) }, `the config of ${what}`, at);
    const config = mergeConfig(folderConfig(cfg.exposures, fqn), written);
    const tags = [...new Set(((Array.isArray(config.tags) ? config.tags : config.tags === undefined ? [] : [config.tags]) as unknown[]).map(String))];
    const meta = (config.meta && typeof config.meta === 'object' ? config.meta : {}) as Record<string, unknown>;
    const text = (v: unknown, key: string): string | undefined => (v === undefined || v === null ? undefined : String(renderProperty(v, `${key} of ${what}`, at)));
    out.push({
      uniqueId: `exposure.${cfg.name}.${name}`,
      resourceType: 'exposure',
      packageName: cfg.name,
      name,
      label: text(e.label, 'the label'),
      type: String(e.type ?? ''),
      maturity: text(e.maturity, 'the maturity'),
      url: text(e.url, 'the url'),
      owner: owner && typeof owner === 'object' ? { ...(owner.name !== undefined ? { name: String(owner.name) } : {}), ...(owner.email !== undefined ? { email: String(owner.email) } : {}) } : {},
      description: describe(String(e.description ?? '')),
      tags,
      meta,
      config: { ...config, enabled: config.enabled !== false && config.enabled !== 'false', tags, meta },
      unrenderedConfig: written,
      refs,
      sources,
      metrics,
      dependsOn: { nodes: [], macros: [] },
      fqn,
      path: r.pathInResource,
      originalFilePath: r.file,
      at: { file: r.file, line: r.line ?? 1, column: 1 },
    });
  }
  return { exposures: out, diagnostics };
}
