import type { Dialect } from './contract.js';

/** What a dialect without its own `incrementalStrategies` carries out (dbt's defaults). */
export const DEFAULT_INCREMENTAL_STRATEGIES: readonly string[] = ['append', 'merge', 'delete+insert'];

/** The incremental strategies a warehouse carries out: plain data for parse/ (which reads no adapter). */
export function incrementalStrategiesOf(dialect: Pick<Dialect, 'incrementalStrategies'>): string[] {
  return [...(dialect.incrementalStrategies ?? DEFAULT_INCREMENTAL_STRATEGIES)];
}
