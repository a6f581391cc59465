import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSummary, parseVitestSummary } from '../../scripts/vitest-summary.mjs';

// Output of real vitest 4 runs under turbo, colours kept: one with a failed test, a test file
// that fails to load, skipped and todo tests and an unhandled error; one all passed or skipped;
// one cut off before its summary (turbo stopped it); then turbo's summary naming the failed task.
const log = readFileSync(join(import.meta.dirname, 'fixtures/turbo-vitest-output.txt'), 'utf8');

describe('the closing line of .ci/run', () => {
  it('adds up test files and tests by outcome over every vitest run, with errors, runs cut off and failed tasks', () => {
    expect(parseVitestSummary(log)).toEqual({
      runs: 2,
      unfinished: ['@auth/store-file:test'],
      files: { passed: 3, failed: 2, skipped: 1, todo: 0 },
      tests: { passed: 4, failed: 1, skipped: 5, todo: 2 },
      errors: 1,
      failedTasks: ['@auth/core#test'],
    });
  });

  it('says failures and skipped tests, not only what passed', () => {
    expect(formatSummary(parseVitestSummary(log))).toBe(
      'tests: 4 passed, 1 failed, 5 skipped, 2 todo | test files: 2 failed, 3 passed, 1 skipped | unhandled errors: 1 | stopped before their summary: @auth/store-file:test | failed tasks: @auth/core#test',
    );
  });

  it('counts a run whose only failures are test files that did not load', () => {
    const summary = parseVitestSummary(
      [
        '@auth/x:test:  RUN  v4.1.12 /repo/x',
        '@auth/x:test:  Test Files  4 failed | 10 passed (14)',
        '@auth/x:test:       Tests  1200 passed | 31 skipped (1231)',
      ].join('\n'),
    );
    expect(formatSummary(summary)).toBe(
      'tests: 1,200 passed, 0 failed, 31 skipped | test files: 4 failed, 10 passed',
    );
  });

  it('says so when no vitest summary was printed (lint or build failed first)', () => {
    expect(
      formatSummary(parseVitestSummary('biome ci: 3 errors\nFailed:    @auth/core#build\n')),
    ).toBe(
      'no vitest summary in the log: the run stopped before the tests (failed: @auth/core#build)',
    );
  });
});
