import { defineConfig } from 'vitest/config';

/**
 * Each test file starts its own runtime and loopback servers on free 127.0.0.1 ports. Nothing
 * here asserts on time: the limits only keep a busy machine (a browser starting) from failing.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
