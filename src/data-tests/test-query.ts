import type { ManifestNode } from '../parse/types.js';
import type { NodeStatus } from '../diagnostics/index.js';

/** dbt's test wrapper: failures with fail_calc, and whether they cross warn_if / error_if. */
export function testQuery(compiledSql: string, config: ManifestNode['config']): string {
  const failCalc = String(config.fail_calc ?? 'count(*)');
  const warnIf = String(config.warn_if ?? '!= 0');
  const errorIf = String(config.error_if ?? '!= 0');
  const limit = config.limit === undefined || config.limit === null ? '' : `\nlimit ${Number(config.limit)}`;
  return `select\n  ${failCalc} as failures,\n  ${failCalc} ${warnIf} as should_warn,\n  ${failCalc} ${errorIf} as should_error\nfrom (\n${compiledSql.trim()}${limit}\n) dbt_internal_test`;
}

/** The failing rows a test stores (`store_failures`): its query, cut to `limit` rows where the config sets one, as dbt stores them. */
export function failingRowsSql(compiledSql: string, config: ManifestNode['config']): string {
  return config.limit === undefined || config.limit === null ? compiledSql : `${compiledSql.trim()}\nlimit ${Number(config.limit)}`;
}

export function evaluateTest(row: { failures?: unknown; should_warn?: unknown; should_error?: unknown }, config: ManifestNode['config']): { status: NodeStatus; failures: number; message: string } {
  const failures = Number(row.failures ?? 0);
  const severity = String(config.severity ?? 'error').toLowerCase();
  const truthy = (v: unknown): boolean => v === true || v === 1 || v === 'true';
  if (severity === 'error' && truthy(row.should_error)) return { status: 'fail', failures, message: `Got ${failures} result${failures === 1 ? '' : 's'}, configured to fail if ${String(config.error_if ?? '!= 0')}` };
  if (truthy(row.should_warn)) return { status: 'warn', failures, message: `Got ${failures} result${failures === 1 ? '' : 's'}, configured to warn if ${String(config.warn_if ?? '!= 0')}` };
  return { status: 'pass', failures, message: 'PASS' };
}
