import { SECRET_ENV_NAME, locate, type Diagnostic } from '../diagnostics/index.js';
import type { ProjectFile } from '../project/types.js';

/**
 * `env_var('DBT_ENV_SECRET_…')` (or `STRATA_ENV_SECRET_…`) read while rendering a node would write a secret
 * into its SQL, compiled file and warehouse history: refused, as dbt refuses secret variables outside
 * profiles.yml and packages.yml. `secret('NAME')` is the way to use one in SQL.
 */
export function secretEnvDiagnostics(file: ProjectFile, envRead: Record<string, unknown> | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const name of Object.keys(envRead ?? {})) {
    if (!SECRET_ENV_NAME.test(name)) continue;
    const at = file.contents.indexOf(name);
    out.push({
      code: 'env-secret-in-sql',
      severity: 'error',
      message: `env_var('${name}') would write a secret into SQL${at === -1 ? ' (read by a macro this file calls)' : ''}: variables named DBT_ENV_SECRET_* or STRATA_ENV_SECRET_* are for profiles.yml and packages.yml only`,
      file: file.path,
      ...(at === -1 ? { line: 1 } : locate(file.contents, at)),
      hint: `use {{ secret('${name}') }}: the warehouse session gets the value and the SQL only a reference to it`,
    });
  }
  return out;
}
