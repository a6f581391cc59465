import { defineConfig } from 'vitest/config';

/** The app's tests run the built program as a real process. */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
