/**
 * `groups:` entries of a property file, read as dbt reads them (`UnparsedGroup`): a name, an owner with at
 * least a name or an email (any other owner keys are kept), an optional description and `config: {meta}`.
 * Each becomes a `GroupDefinition` (`group.<package>.<name>`) of the manifest.
 */
import type { Diagnostic } from '../diagnostics/index.js';
import type { YamlFile } from '../project/yaml-file.js';
import type { ProjectFile } from '../project/types.js';
import type { GroupDefinition } from './types.js';
import { configValueProblem, describeConfigProblem } from '../project/config-values.js';

/** A `groups:` entry as read, with where it was written. */
export interface RawGroup {
  name: string;
  file: string;
  /** The property file's path within its resource path (dbt's `path` of a group). */
  pathInResource: string;
  line?: number;
  owner: Record<string, unknown>;
  description?: string;
  meta: Record<string, unknown>;
}

type Invalid = (key: (string | number)[], message: string, hint: string) => void;

const EXAMPLE = 'groups:\n  - name: finance\n    owner: {name: Finance team, email: finance@example.com}';
const isMapping = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The groups of one property file; each mistake reported at its line. */
export function readGroupEntries(yaml: YamlFile, f: ProjectFile, invalid: Invalid): RawGroup[] {
  const groups = (yaml.value as Record<string, unknown>).groups;
  if (groups === undefined || groups === null) return [];
  if (!Array.isArray(groups)) {
    invalid(['groups'], "'groups:' must be a list of entries starting with '- name:'", EXAMPLE);
    return [];
  }
  const out: RawGroup[] = [];
  groups.forEach((g, i) => {
    const name = isMapping(g) ? g.name : undefined;
    if (typeof name !== 'string' || !name) {
      invalid(['groups', i], 'each entry of groups: must be a mapping with a name', '- name: finance\n  owner: {email: finance@example.com}');
      return;
    }
    const entry = g as Record<string, unknown>;
    const owner = entry.owner;
    // dbt: "Group owner must have at least one of 'name' or 'email'."
    if (!isMapping(owner) || ((owner.name === undefined || owner.name === null) && (owner.email === undefined || owner.email === null))) {
      invalid(['groups', i, ...(isMapping(owner) ? ['owner'] : [])], `group '${name}' needs an owner with a name or an email`, `- name: ${name}\n  owner: {name: Finance team, email: finance@example.com}`);
      return;
    }
    if (entry.description !== undefined && entry.description !== null && typeof entry.description !== 'string') {
      invalid(['groups', i, 'description'], `description: of group '${name}' must be text`, 'description: "Models the finance team owns"');
      return;
    }
    const config = entry.config;
    if (config !== undefined && config !== null && !isMapping(config)) {
      invalid(['groups', i, 'config'], `config: of group '${name}' must be a mapping`, 'config:\n  meta: {tier: 1}');
      return;
    }
    const meta = isMapping(config) && isMapping(config.meta) ? config.meta : {};
    out.push({ name, file: f.path, pathInResource: f.pathInResource, line: yaml.lineOf(['groups', i]), owner, ...(typeof entry.description === 'string' ? { description: entry.description } : {}), meta });
  });
  return out;
}

/** The manifest's groups of one project (or package): `group.<package>.<name>`; a name defined twice is an error, as in dbt. */
export function groupDefinitions(groups: RawGroup[], packageName: string): { groups: Record<string, GroupDefinition>; diagnostics: Diagnostic[] } {
  const out: Record<string, GroupDefinition> = {};
  const diagnostics: Diagnostic[] = [];
  for (const g of groups) {
    const uniqueId = `group.${packageName}.${g.name}`;
    const prior = out[uniqueId];
    if (prior) {
      diagnostics.push({ code: 'duplicate-node', severity: 'error', message: `two groups are named '${g.name}': in ${prior.originalFilePath} and ${g.file}`, file: g.file, line: g.line ?? 1, hint: 'group names must be unique in a project: rename or remove one' });
      continue;
    }
    out[uniqueId] = {
      uniqueId,
      resourceType: 'group',
      packageName,
      name: g.name,
      owner: g.owner,
      ...(g.description !== undefined ? { description: g.description } : {}),
      config: { meta: g.meta },
      path: g.pathInResource,
      originalFilePath: g.file,
      ...(g.line !== undefined ? { at: { file: g.file, line: g.line, column: 1 } } : {}),
    };
  }
  return { groups: out, diagnostics };
}

/**
 * A model's (seed's, snapshot's) `group:`, `access:` and `docs:` written at the top level of its property entry,
 * the older form dbt still reads: moved into its config as dbt moves them. Both places at once is an error, as in dbt.
 */
export function liftedTopLevelConfig(e: Record<string, unknown>, path: (string | number)[], invalid: Invalid): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['group', 'access', 'docs'] as const) {
    if (e[key] === undefined) continue;
    const config = isMapping(e.config) ? e.config : {};
    if (key in config) {
      invalid([...path, key], `'${String(e.name)}' sets ${key} both at its top level and under config:`, `keep one: config:\n  ${key}: ${typeof config[key] === 'object' ? JSON.stringify(config[key]) : String(config[key])}`);
      continue;
    }
    const problem = configValueProblem(key, e[key]);
    if (problem) {
      invalid([...path, key], `${describeConfigProblem(key, e[key], problem)} ('${String(e.name)}')`, problem.example);
      continue;
    }
    out[key] = e[key];
  }
  return out;
}
