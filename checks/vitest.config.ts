import { defineConfig } from 'vitest/config';

/**
 * The release dry run builds and packs the published packages in a copy of the repository:
 * the limits only keep a busy machine from failing a run; nothing asserts on time.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
