#!/usr/bin/env node
// The closing line of .ci/run: adds up the "Test Files" and "Tests" summary lines of every
// vitest run in a log (turbo prefixes them with the task's name) and turbo's failed tasks.
//
//   node scripts/vitest-summary.mjs <log file>
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

/**
 * @typedef {{ passed: number, failed: number, skipped: number, todo: number }} Counts
 * @typedef {object} Summary
 * @property {number} runs - vitest runs that printed their summary.
 * @property {string[]} unfinished - Runs that started and printed none, by turbo's prefix
 *   (`@auth/core:test`): stopped when turbo stopped at another task's failure, or crashed;
 *   their failures are not in the counts.
 * @property {Counts} files - Test files by outcome.
 * @property {Counts} tests - Tests by outcome.
 * @property {number} errors - Unhandled errors.
 * @property {string[]} failedTasks - The tasks turbo names as failed.
 */

/** @returns {Counts} */
const zero = () => ({ passed: 0, failed: 0, skipped: 0, todo: 0 });

/**
 * Adds up what the vitest runs in `log` reported: test files and tests by outcome, unhandled
 * errors, the tasks turbo names as failed, and the runs that printed no summary. Colour codes
 * are ignored.
 *
 * @param {string} log - The output of `pnpm test` (turbo and vitest).
 * @returns {Summary} The totals.
 */
export function parseVitestSummary(log) {
  const text = stripVTControlCharacters(log);
  /** @type {Summary} */
  const summary = {
    runs: 0,
    unfinished: [],
    files: zero(),
    tests: zero(),
    errors: 0,
    failedTasks: [],
  };
  const started = [...text.matchAll(/^(.*?):? +RUN +v\d+\.\d+/gm)].map(
    ([, prefix]) => prefix ?? '',
  );
  const summaries = /^(.*?):? +(Test Files|Tests) {2,}(.*?)\s*\(\d+\)\s*$/gm;
  for (const [, prefix, kind, parts] of text.matchAll(summaries)) {
    const counts = kind === 'Tests' ? summary.tests : summary.files;
    if (kind === 'Test Files') {
      summary.runs += 1;
      const index = started.indexOf(prefix ?? '');
      if (index !== -1) started.splice(index, 1);
    }
    for (const [, n, outcome] of (parts ?? '').matchAll(/(\d+) (passed|failed|skipped|todo)\b/g)) {
      counts[/** @type {keyof Counts} */ (outcome)] += Number(n);
    }
  }
  summary.unfinished = started;
  for (const [, n] of text.matchAll(/^.*?\bErrors {2,}(\d+) errors?\b/gm)) {
    summary.errors += Number(n);
  }
  for (const [, tasks] of text.matchAll(/^\s*Failed:\s+(\S.*?)\s*$/gm)) {
    summary.failedTasks.push(...(tasks ?? '').split(/[\s,]+/).filter(Boolean));
  }
  return summary;
}

/**
 * One line for the end of a CI log: failures first, skipped tests always shown.
 *
 * @param {Summary} summary - From {@link parseVitestSummary}.
 * @returns {string} E.g. `tests: 1,203 passed, 2 failed, 31 skipped | test files: 4 failed, 118 passed`.
 */
export function formatSummary(summary) {
  if (summary.runs === 0) {
    const tasks = summary.failedTasks.length ? ` (failed: ${summary.failedTasks.join(', ')})` : '';
    return `no vitest summary in the log: the run stopped before the tests${tasks}`;
  }
  const n = (/** @type {number} */ value) => value.toLocaleString('en-US');
  const { files, tests } = summary;
  const parts = [
    `tests: ${n(tests.passed)} passed, ${n(tests.failed)} failed, ${n(tests.skipped)} skipped${tests.todo ? `, ${n(tests.todo)} todo` : ''}`,
    `test files: ${n(files.failed)} failed, ${n(files.passed)} passed${files.skipped ? `, ${n(files.skipped)} skipped` : ''}`,
  ];
  if (summary.errors) parts.push(`unhandled errors: ${n(summary.errors)}`);
  if (summary.unfinished.length) {
    parts.push(`stopped before their summary: ${summary.unfinished.join(', ')}`);
  }
  if (summary.failedTasks.length) parts.push(`failed tasks: ${summary.failedTasks.join(', ')}`);
  return parts.join(' | ');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node scripts/vitest-summary.mjs <log file>');
    process.exit(2);
  }
  console.log(formatSummary(parseVitestSummary(readFileSync(file, 'utf8'))));
}
