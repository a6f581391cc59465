import type { TokenServerOptions } from '@auth/testing/http';
import type { AuthClient, Contender } from './contender.js';
import { type Lab, startLab } from './lab.js';

/** The cells of one contender, one per row of the scenario, in row order. */
export type Cells = readonly string[];

/** One part of the benchmark: its rows of the table, and how to fill them for every contender. */
export interface Scenario {
  /** A short id, for `--scenario`. */
  id: string;
  /** The row labels, each with its goal. */
  rows: readonly string[];
  /**
   * Measures every contender.
   *
   * @param log - Prints a line of detail (failures, noise) above the table.
   * @returns Each contender's cells by contender id.
   */
  run(contenders: readonly Contender[], log: (line: string) => void): Promise<Map<string, Cells>>;
}

/** What a scenario measures of one contender, in a lab of its own. */
export type Measure = (client: AuthClient, lab: Lab, contender: Contender) => Promise<Cells>;

/**
 * Runs `measure` for each contender in turn, each with a fresh lab and client, and with a
 * deadline: a contender that has not finished by then gets `timed out` in every row, and
 * one whose client throws outside a request gets `error` (its message in the log).
 */
export async function eachContender(
  contenders: readonly Contender[],
  rows: number,
  labOptions: TokenServerOptions,
  deadlineMs: number,
  log: (line: string) => void,
  measure: Measure,
): Promise<Map<string, Cells>> {
  const results = new Map<string, Cells>();
  for (const contender of contenders) {
    const lab = await startLab(labOptions);
    const client = await contender.create(lab.setup);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<Cells>((resolve) => {
      timer = setTimeout(() => resolve(Array(rows).fill('timed out')), deadlineMs);
    });
    const measured = measure(client, lab, contender).catch((error: unknown) => {
      log(
        `${contender.id}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      );
      return Array<string>(rows).fill('error');
    });
    try {
      results.set(contender.id, await Promise.race([measured, deadline]));
    } finally {
      clearTimeout(timer);
      await client.close();
      await lab.close();
    }
  }
  return results;
}

/** A failure count, with the first failure's message in the log when there were any. */
export function failuresCell(
  failures: number,
  firstFailure: string | undefined,
  what: string,
  log: (line: string) => void,
): string {
  if (failures > 0) log(`${what}: ${failures} failed; first: ${firstFailure}`);
  return String(failures);
}
