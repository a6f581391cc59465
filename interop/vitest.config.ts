import { defineConfig } from 'vitest/config';

/**
 * Each test file starts its own authorization server on a free 127.0.0.1 port, so the files
 * run in parallel. Nothing here asserts on time: the limits only keep a busy machine (a
 * Python server starting, key generation) from failing a test.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
