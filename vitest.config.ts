import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Starts the local S3-compatible server and other loopback services once for all tests.
    globalSetup: ['src/test-support/global-setup.ts'],
    // Fails any connection outside 127.0.0.0/8 and switches off Google's metadata probe.
    setupFiles: ['src/test-support/network-guard.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
