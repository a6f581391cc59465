import { defineConfig } from 'vitest/config';

/** Each test file starts its own loopback servers on free ports, so the files run in parallel. */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
