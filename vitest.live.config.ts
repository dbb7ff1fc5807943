import { defineConfig } from 'vitest/config';

/**
 * `npm run test:bigquery`: the opt-in live suite against a real BigQuery project. It needs the network,
 * so it runs without the loopback guard of the main suite; it is skipped unless STRATA_BQ_PROJECT is set.
 */
export default defineConfig({
  test: {
    include: ['src/adapters/bigquery/live.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
