import { conventionsOf, targetRules } from '../adapters/registry.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection, Relation, StateSources, StateSourcesInput } from '../adapters/contract.js';
import { diskFileSource, loadProfile, parseYamlFile } from '../project/index.js';
import type { TargetConfig } from '../project/types.js';
import type { StateManifest } from '../select/index.js';
import type { PreparedProject } from './prepare.js';

/** How the state's relations are named from this target's connection, and what to undo afterwards. */
export type StateRelations = StateSources;

/**
 * Where the state's relations are, as this target's warehouse reads them: its conventions' `stateSources`
 * (a warehouse whose relations live in files attaches the state's), given plain data — the state's
 * databases, the target that built it, the profile's outputs. Without that capability the state's
 * relations are named in full and read as they are.
 */
export async function stateRelations(p: PreparedProject, state: StateManifest, connection: Connection, profileName = p.project.config.profile): Promise<StateRelations> {
  const stateSources = conventionsOf(p.adapter.type)?.stateSources;
  if (!stateSources) return { locate: (r) => r, diagnostics: [], release: async () => undefined };
  const relations = [...state.nodes.values()].map((n) => n.relation).filter((r): r is Relation => !!r);
  return stateSources(stateSourcesInput(p, state, relations, profileName), connection);
}

/** What a warehouse's conventions are told of the state: its manifest, the databases of `relations`, the profile. */
export function stateSourcesInput(p: PreparedProject, state: StateManifest, relations: Relation[], profileName = p.project.config.profile): StateSourcesInput {
  return {
    stateManifestPath: state.path,
    stateTarget: stateTargetName(state.path),
    stateDatabases: relations.map((r) => r.database).filter((d): d is string => !!d),
    targetName: p.project.target.name,
    profileName,
    profileOutputs: profileOutputs(p, profileName),
    projectRoot: p.project.config.rootDir,
  };
}

/** `args.target` of the run_results.json beside the state manifest: the target that built the state. */
function stateTargetName(manifestPath: string): string | undefined {
  const file = join(manifestPath, '..', 'run_results.json');
  if (!existsSync(file)) return undefined;
  try {
    const target = (JSON.parse(readFileSync(file, 'utf8')) as { args?: { target?: unknown } }).args?.target;
    return typeof target === 'string' ? target : undefined;
  } catch {
    return undefined;
  }
}

/** Every output of the project's profile, resolved as the target it would be (this target as loaded). */
function profileOutputs(p: PreparedProject, profileName: string): { name: string; target: TargetConfig }[] {
  const file = p.project.profilesFile;
  if (!file || !existsSync(file)) return [];
  const parsed = parseYamlFile(file, readFileSync(file, 'utf8')).file?.value as Record<string, { outputs?: Record<string, unknown> }> | undefined;
  const out: { name: string; target: TargetConfig }[] = [];
  for (const name of Object.keys(parsed?.[profileName]?.outputs ?? {})) {
    const target = name === p.project.target.name ? p.project.target : loadProfile({ profileName, projectRoot: p.project.config.rootDir, profilesDir: join(file, '..'), target: name, env: p.env, fs: diskFileSource, rules: targetRules }).target;
    if (target) out.push({ name, target });
  }
  return out;
}
