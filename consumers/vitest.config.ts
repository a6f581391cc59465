import { defineConfig } from 'vitest/config';

/**
 * One global setup packs the published packages and installs them outside the workspace;
 * the test files type-check against that install. The limits only keep a busy machine from
 * failing a run: nothing asserts on time.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['src/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
