import { defineConfig } from 'vitest/config';

/**
 * Each test starts its own servers on free 127.0.0.1 ports and its runtime as a child
 * process, workerd through miniflare, or headless Chromium, so files run in parallel. No test
 * asserts on time: the limits only keep a busy machine (a runtime or a browser starting cold)
 * from failing a test.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
