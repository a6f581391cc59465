/** The latest instant a `Date` represents (ECMA-262 §21.4.1.1); token times are clamped to it. */
export const LATEST_EPOCH_MS = 8.64e15;

/**
 * An instant as an ISO 8601 string that never throws: instants beyond what `Date`
 * represents are clamped to its first or last one.
 *
 * @param epochMs - Epoch milliseconds.
 * @returns E.g. `2026-01-01T00:00:00.000Z`.
 */
export function isoTime(epochMs: number): string {
  return new Date(Math.min(Math.max(epochMs, -LATEST_EPOCH_MS), LATEST_EPOCH_MS)).toISOString();
}
