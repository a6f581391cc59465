/**
 * The order in which the modes of an interleaved benchmark run in round `round`: rows of a
 * Williams design (a balanced Latin square). Over every `modes.length` rounds each mode runs
 * once in each position and, for an even number of modes, right after every other mode
 * exactly once, so no mode keeps paying for the garbage or warm caches of the same neighbour.
 */
export function roundOrder<T>(modes: readonly T[], round: number): T[] {
  const n = modes.length;
  const firstRow = [0];
  for (let low = 1, high = n - 1; firstRow.length < n; ) {
    firstRow.push(low++);
    if (firstRow.length < n) firstRow.push(high--);
  }
  return firstRow.map((index) => modes[(index + round) % n]!);
}
