import { defineConfig } from 'vitest/config';

/**
 * Each test starts its own servers on free 127.0.0.1 ports and its runtime as a child
 * process (or workerd through miniflare), so files run in parallel. No test asserts on time:
 * the limits only keep a busy machine (a runtime starting cold) from failing a test.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
