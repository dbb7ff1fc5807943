import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import { SECRET_KEYS } from '../diagnostics/index.js';
import type { FileSource, TargetConfig, TargetRules } from './types.js';
import { parseYamlFile } from './yaml-file.js';
import { renderFailure, renderYamlTree } from './render-yaml-value.js';

export interface ProfileLookup {
  profileName: string;
  projectRoot: string;
  profilesDir?: string;
  target?: string;
  threads?: number;
  env: NodeJS.ProcessEnv;
  fs: FileSource;
  optional?: boolean;
  rules: TargetRules;
}

/** Folders searched for profiles.yml, in order. */
export function profileSearchPath(o: { profilesDir?: string; projectRoot: string; env: NodeJS.ProcessEnv }): string[] {
  const dirs: string[] = [];
  if (o.profilesDir) return [resolve(o.profilesDir)];
  if (o.env.STRATA_PROFILES_DIR) dirs.push(resolve(o.env.STRATA_PROFILES_DIR));
  if (o.env.DBT_PROFILES_DIR) dirs.push(resolve(o.env.DBT_PROFILES_DIR));
  dirs.push(o.projectRoot, join(homedir(), '.strata'), join(homedir(), '.dbt'));
  return dirs;
}

export function loadProfile(o: ProfileLookup): { target?: TargetConfig; file?: string; secrets: string[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const secrets: string[] = [];
  const searched = profileSearchPath(o);
  const dir = searched.find((d) => o.fs.exists(join(d, 'profiles.yml')));
  if (!dir) {
    if (o.profilesDir) {
      diagnostics.push({ code: 'profiles-not-found', severity: 'error', message: `no profiles.yml in ${o.profilesDir}`, hint: 'check --profiles-dir, or drop it to use the project folder' });
      return { secrets, diagnostics };
    }
    const t = o.rules.zeroSetupTarget(o.profileName);
    if (o.target && o.target !== t.name) {
      diagnostics.push({ code: 'target-not-found', severity: 'error', message: `no profiles.yml found, so target '${o.target}' does not exist`, hint: `create profiles.yml in ${o.projectRoot} or ~/.strata/` });
    }
    if (o.threads) t.threads = o.threads;
    return { target: t, secrets, diagnostics };
  }
  const file = join(dir, 'profiles.yml');
  const shown = dir === o.projectRoot ? 'profiles.yml' : file;
  const parsed = parseYamlFile(shown, o.fs.read(file));
  if (!parsed.file) return { secrets, diagnostics: parsed.diagnostics, file };
  const yaml = parsed.file;
  const all = (yaml.value ?? {}) as Record<string, unknown>;
  if (typeof all !== 'object' || Array.isArray(all)) {
    diagnostics.push({ code: 'profile-invalid', severity: 'error', message: `${shown} must be a mapping of profile names to profiles, not ${Array.isArray(all) ? 'a list' : 'text'}`, file: shown, line: 1, hint: `${o.profileName}:\n  target: dev\n  outputs:\n    dev:\n      type: ${o.rules.types[0]}` });
    return { secrets, diagnostics, file };
  }
  const profile = all[o.profileName] as Record<string, unknown> | undefined;
  if (!profile || typeof profile !== 'object') {
    const names = Object.keys(all).filter((k) => k !== 'config');
    diagnostics.push({ code: 'profile-not-found', severity: 'error', message: `profile '${o.profileName}' is not in ${shown}`, file: shown, hint: names.length ? `profiles there: ${names.join(', ')}; or set 'profile:' in the project file` : `add a '${o.profileName}:' profile` });
    return { secrets, diagnostics, file };
  }
  const outputs = (profile.outputs ?? {}) as Record<string, unknown>;
  const targetName = o.target ?? (typeof profile.target === 'string' ? profile.target : 'dev');
  const raw = outputs[targetName];
  if (!raw || typeof raw !== 'object') {
    diagnostics.push({ code: 'target-not-found', severity: 'error', message: `target '${targetName}' is not an output of profile '${o.profileName}'`, file: shown, line: yaml.lineOf([o.profileName]), hint: Object.keys(outputs).length ? `outputs: ${Object.keys(outputs).join(', ')}` : 'add an outputs: section with a dev output' });
    return { secrets, diagnostics, file };
  }
  const settings = renderYamlTree(raw, { env: o.env, vars: {}, allowSecretEnv: true }, [o.profileName, 'outputs', targetName], (path, name, kind) => {
    diagnostics.push(renderFailure(kind, name, { file: shown, line: yaml.lineOf(path) }, 'vars are not available in profiles.yml'));
  }) as Record<string, unknown>;
  collectSecrets(settings, secrets);
  const type = settings.type;
  if (typeof type !== 'string') {
    diagnostics.push({ code: 'profile-invalid', severity: 'error', message: `output '${targetName}' of profile '${o.profileName}' has no type`, file: shown, line: yaml.lineOf([o.profileName, 'outputs', targetName]), hint: `add type: ${o.rules.types.join(' or ')}` });
    return { secrets, diagnostics, file };
  }
  const { schema, database } = o.rules.targetNames(type, settings);
  const threads = o.threads ?? (Number(settings.threads) || 4);
  return {
    target: { type, name: targetName, schema, database, threads, settings },
    file,
    secrets,
    diagnostics,
  };
}

function collectSecrets(value: unknown, out: string[], key = ''): void {
  if (typeof value === 'string') {
    if (SECRET_KEYS.test(key)) out.push(value);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEYS.test(k) && typeof v === 'object') out.push(JSON.stringify(v));
      collectSecrets(v, out, SECRET_KEYS.test(k) ? k : key || k);
    }
  }
}
