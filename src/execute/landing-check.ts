import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import picomatch from 'picomatch';
import type { Diagnostic } from '../diagnostics/index.js';
import type { ExternalSpec, SourceDefinition } from '../parse/types.js';
import { renderYamlTree } from '../project/index.js';
import type { RunProject } from './types.js';
import { conventionsOf } from '../adapters/registry.js';

/** A source's `external:` block with env_var()/var() rendered (at run time, so the parse cache never pins a location). */
export function renderExternal(p: RunProject, source: SourceDefinition): { external: ExternalSpec; missing?: string } {
  let missing: string | undefined;
  const external = renderYamlTree(source.external, { env: p.env, vars: p.project.config.vars }, [], (_path, name, kind) => {
    missing ??= kind === 'template' ? `a template error (${name})` : kind === 'secret' ? `env_var('${name}'), a secret env var (allowed only in profiles.yml and packages.yml)` : `${kind}('${name}')`;
  }) as ExternalSpec;
  return { external, missing };
}

/** Where the target keeps bronze files (`land_as: parquet`): its warehouse's convention, as `strata clean` reads it. */
export function bronzeRoot(p: RunProject): string | undefined {
  return conventionsOf(p.adapter.type)?.bronzeFolder?.(p.project.target.settings, p.project.config.rootDir);
}

/**
 * The selected landing nodes' locations and patterns, checked before a warehouse is opened: a location that
 * is missing, unrendered, not a folder, or a pattern that is not a glob, is a located error (exit 2) —
 * never "landed 0 files".
 */
export function landingLocationDiagnostics(p: RunProject, ids: string[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const id of ids) {
    const node = p.graph.manifest.nodes[id];
    if (node?.resourceType !== 'landing') continue;
    const source = p.graph.manifest.sources[String(node.extra?.sourceId)];
    if (!source?.external) continue;
    const problem = locationProblem(p, source);
    if (!problem) continue;
    const at = (problem.key === 'land_as' && landAsOrigin(p, source)) || { file: source.originalFilePath, line: lineOf(p.project.config.rootDir, source, problem.key) };
    out.push({ code: 'landing-location-invalid', severity: 'error', message: `source ${source.sourceName}.${source.name}: ${problem.message}`, file: at.file, line: at.line, hint: problem.hint });
  }
  return out;
}

interface Problem {
  key: 'location' | 'pattern' | 'land_as';
  message: string;
  hint: string;
}

function locationProblem(p: RunProject, source: SourceDefinition): Problem | undefined {
  const { external, missing } = renderExternal(p, source);
  if (missing) return { key: 'location', message: `${missing} in its external: settings is not set`, hint: 'set it, or give env_var()/var() a default' };
  const raw = external.location;
  if (raw === undefined || raw === null || String(raw).trim() === '') {
    return { key: 'location', message: 'external: has no location', hint: 'add `location:` — a folder of the project, file:///…, s3://… or gs://…' };
  }
  const location = String(raw);
  if (/\{\{|\}\}|\{%|%\}/.test(location)) {
    return { key: 'location', message: `its location '${location}' has a template expression Strata cannot render`, hint: "only {{ env_var('NAME', 'default') }} and {{ var('name') }} are rendered in external: settings" };
  }
  const landAs = external.land_as ?? source.config.land_as;
  if (landAs !== undefined && landAs !== null && landAs !== 'parquet' && landAs !== 'table') {
    return { key: 'land_as', message: `its land_as '${String(landAs)}' is not one of parquet, table`, hint: 'land_as: parquet keeps bronze as one Parquet file per landed object (where the warehouse reads local files); land_as: table (the default) appends to a table' };
  }
  if (external.pattern !== undefined && external.pattern !== null) {
    try {
      picomatch(String(external.pattern), { strictBrackets: true });
    } catch (e) {
      return { key: 'pattern', message: `its pattern '${String(external.pattern)}' is not a valid glob: ${(e as Error).message}`, hint: "use a glob such as '**/*.parquet'; escape literal brackets and braces with a backslash" };
    }
  }
  if (/^(s3|gs):\/\//.test(location)) return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location) && !location.startsWith('file://')) {
    return { key: 'location', message: `its location '${location}' has a scheme Strata cannot read`, hint: 'use s3://, gs://, file:// or a folder of the project' };
  }
  const dir = location.startsWith('file://') ? fileURLToPath(location) : isAbsolute(location) ? location : resolve(p.project.config.rootDir, location);
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (!stat) return { key: 'location', message: `its location '${location}' does not exist (${dir})`, hint: 'create the folder, or point location: at the folder the files arrive in' };
  if (!stat.isDirectory()) return { key: 'location', message: `its location '${location}' is a file, not a folder`, hint: 'point location: at the folder holding the files, and use pattern: to choose among them' };
  const bronze = landAs === 'parquet' ? bronzeRoot(p) : undefined;
  if (bronze && (resolve(bronze) === resolve(dir) || resolve(bronze).startsWith(resolve(dir) + sep))) {
    return { key: 'location', message: `the bronze folder ${bronze} (land_as: parquet) is inside its location '${location}': each landing would land its own files again`, hint: 'set bronze_path: in profiles.yml to a folder outside the location' };
  }
  return undefined;
}

/**
 * Where a `land_as` set as a config was written: a `land_as:` line with its value in the property file (the
 * source's or table's `config:`), else a `+land_as:` in project.yml's `sources:`. Undefined for one set
 * under `external:` (found by `lineOf`), or when no line has it.
 */
function landAsOrigin(p: RunProject, source: SourceDefinition): { file: string; line: number } | undefined {
  const value = source.external?.land_as ?? source.config.land_as;
  if (source.external?.land_as !== undefined || value === undefined || value === null) return undefined;
  const esc = String(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const line = new RegExp(`^\\s*\\+?land_as:\\s*['"]?${esc}['"]?\\s*(#.*)?$`);
  for (const file of [source.originalFilePath, p.project.config.configFile]) {
    let text: string;
    try {
      text = readFileSync(resolve(p.project.config.rootDir, file), 'utf8');
    } catch {
      continue;
    }
    const i = text.split(/\r?\n/).findIndex((l) => line.test(l));
    if (i !== -1) return { file, line: i + 1 };
  }
  return undefined;
}

/** The line of `location:`/`pattern:` under the source's table in its property file (else the table's line, else 1). */
function lineOf(rootDir: string, source: SourceDefinition, key: string): number {
  let text: string;
  try {
    text = readFileSync(resolve(rootDir, source.originalFilePath), 'utf8');
  } catch {
    return 1;
  }
  const lines = text.split(/\r?\n/);
  const esc = source.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const table = lines.findIndex((l) => new RegExp(`^\\s*-\\s*name:\\s*['"]?${esc}['"]?\\s*$`).test(l));
  if (table === -1) return 1;
  const indent = lines[table]!.search(/\S/);
  for (let i = table + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trim() && l.search(/\S/) <= indent) break;
    if (new RegExp(`^\\s*${key}:`).test(l)) return i + 1;
  }
  const external = lines.findIndex((l, i) => i > table && /^\s*external:/.test(l));
  return (external === -1 ? table : external) + 1;
}
