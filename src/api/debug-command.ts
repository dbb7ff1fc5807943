import { loadAdapter, targetRules } from '../adapters/registry.js';
import { scrubberFor, type Diagnostic } from '../diagnostics/index.js';
import { loadProject } from '../project/index.js';
import type { CommonOptions, ExitCode } from './types.js';

export interface DebugCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** `strata debug`: is the project readable, the profile complete, the warehouse reachable? */
export async function debug(options: CommonOptions & { connectionOnly?: boolean }): Promise<{ exitCode: ExitCode; checks: DebugCheck[]; diagnostics: Diagnostic[] }> {
  const checks: DebugCheck[] = [];
  const loaded = loadProject({ ...options, targetRules });
  const project = loaded.project;
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  // With --connection, only the profile and the connection count: the project's own checks are not shown.
  const projectOk = !!project && errors.length === 0;
  if (!options.connectionOnly || !projectOk) checks.push({ name: options.connectionOnly ? 'profile' : 'project', ok: projectOk, detail: project ? `${project.config.name} (${project.config.configFile})` : 'not loaded' });
  if (!project || errors.length) return { exitCode: 2, checks, diagnostics: loaded.diagnostics };
  checks.push({ name: 'profile', ok: true, detail: `${project.profilesFile ?? 'built-in default'} → target '${project.target.name}' (${project.target.type})` });
  const adapter = await loadAdapter(project.target.type);
  if (!adapter) {
    checks.push({ name: 'adapter', ok: false, detail: `unknown type '${project.target.type}'` });
    return { exitCode: 2, checks, diagnostics: loaded.diagnostics };
  }
  const problems = adapter.validateTarget?.(project.target) ?? [];
  checks.push({ name: 'adapter', ok: problems.length === 0, detail: problems.length ? problems.join('; ') : adapter.type });
  try {
    const warehouse = await adapter.open(project.target, { projectRoot: project.config.rootDir, secrets: project.secrets });
    const connection = await warehouse.connect();
    try {
      // Without a query comment, as dbt's: `dbt debug` registers its adapter afresh, with no manifest to set the comment from.
      await connection.query('select 1 as ok');
      checks.push({ name: 'connection', ok: true, detail: 'select 1 succeeded' });
    } finally {
      await connection.close();
      await warehouse.close();
    }
  } catch (e) {
    let detail = e instanceof Error ? e.message : String(e);
    detail = scrubberFor(project.secrets, options.env ?? process.env).scrub(detail);
    checks.push({ name: 'connection', ok: false, detail });
  }
  return { exitCode: checks.every((c) => c.ok) ? 0 : 1, checks, diagnostics: loaded.diagnostics };
}
