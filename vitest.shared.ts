import { defineConfig } from 'vitest/config';

/**
 * The vitest setup every package shares: unit tests beside the code (`src/**\/*.test.ts`)
 * and integration tests (real Redis, real OpenID provider, child processes) in
 * `test/integration/` as their own project.
 */
export function packageTestConfig() {
  return defineConfig({
    test: {
      projects: [
        {
          test: {
            name: 'unit',
            include: ['src/**/*.test.ts'],
            environment: 'node',
            // No test asserts on time; a generous limit keeps a busy machine from failing a
            // test that takes 0.1 s when idle (the 5 s default did, for key generation).
            testTimeout: 30_000,
            hookTimeout: 30_000,
          },
        },
        {
          test: {
            name: 'integration',
            include: ['test/integration/**/*.test.ts'],
            environment: 'node',
            testTimeout: 60_000,
            hookTimeout: 60_000,
            fileParallelism: false,
          },
        },
      ],
    },
  });
}

/** The vitest setup of the example apps: their tests run the built program as real processes. */
export function appTestConfig() {
  return defineConfig({
    test: {
      include: ['test/**/*.test.ts'],
      testTimeout: 120_000,
      hookTimeout: 120_000,
      fileParallelism: false,
    },
  });
}
