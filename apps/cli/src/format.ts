/**
 * A duration for people: `1h 2m`, `4m 5s`, `7s`.
 *
 * @param ms - Milliseconds (the sign is ignored).
 * @returns The text.
 * @example
 * ```ts
 * formatDuration(3_725_000); // '1h 2m'
 * ```
 */
export function formatDuration(ms: number): string {
  const seconds = Math.floor(Math.abs(ms) / 1000);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m ${seconds % 60}s`;
  return `${seconds}s`;
}

/**
 * The expiry countdown of a token: `expires in 59m 12s (2025-01-01T10:00:00.000Z)`,
 * `expired 3m 0s ago (…)`, or `does not expire`.
 *
 * @param expiresAt - Epoch ms, or `undefined` for a token without expiry.
 * @param now - The current time (epoch ms).
 * @returns The phrase.
 * @example
 * ```ts
 * expiryPhrase(tokens.expiresAt, Date.now());
 * ```
 */
export function expiryPhrase(expiresAt: number | undefined, now: number): string {
  if (expiresAt === undefined) return 'does not expire';
  const at = new Date(expiresAt).toISOString();
  return expiresAt > now
    ? `expires in ${formatDuration(expiresAt - now)} (${at})`
    : `expired ${formatDuration(now - expiresAt)} ago (${at})`;
}

/**
 * Whole seconds until `expiresAt` (negative once past), for JSON output.
 *
 * @param expiresAt - Epoch ms, or `undefined`.
 * @param now - The current time (epoch ms).
 * @returns Seconds, or `null` for a token without expiry.
 * @example
 * ```ts
 * secondsUntil(Date.now() + 90_500, Date.now()); // 90
 * ```
 */
export function secondsUntil(expiresAt: number | undefined, now: number): number | null {
  return expiresAt === undefined ? null : Math.floor((expiresAt - now) / 1000);
}
