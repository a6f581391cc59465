import { defineConfig } from 'vitest/config';

// One fresh clone for every test; its builds take minutes on a busy machine.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
