import type { TokenSet } from '../../token-set.js';

/** The manager's timing settings, in milliseconds. */
export interface TimingPolicy {
  expirySkewMs: number;
  refreshAheadMs: number;
}

/** When a token stops being served and when its background refresh is due (epoch ms). */
export interface TokenSchedule {
  /** Served while `now < usableUntil`: expiry minus the (clamped) skew. */
  usableUntil: number;
  /** A background refresh starts once `now >= refreshAt` (a jittered point of the window). */
  refreshAt: number;
}

/** The schedule without a token: nothing is served, no refresh is due. */
export const NO_SCHEDULE: TokenSchedule = {
  usableUntil: Number.NEGATIVE_INFINITY,
  refreshAt: Number.POSITIVE_INFINITY,
};

/**
 * Works out a token's schedule. The skew is clamped to half the token's lifetime so
 * short-lived tokens are still used; the refresh-ahead window is clamped to half the
 * usable lifetime, and the refresh point is drawn from the first half of the window so a
 * fleet spreads its refreshes and a slow token endpoint still finishes in time.
 *
 * @param tokens - The token; `issuedAt` gives its lifetime (without it the skew is not clamped).
 * @param policy - Skew and refresh-ahead settings.
 * @param random - A number in [0, 1) for the jitter.
 */
export function scheduleFor(tokens: TokenSet, policy: TimingPolicy, random: number): TokenSchedule {
  const { expiresAt, issuedAt } = tokens;
  if (expiresAt === undefined)
    return { usableUntil: Number.POSITIVE_INFINITY, refreshAt: Number.POSITIVE_INFINITY };
  const lifetime =
    issuedAt === undefined ? Number.POSITIVE_INFINITY : Math.max(0, expiresAt - issuedAt);
  const skew = Math.min(policy.expirySkewMs, lifetime / 2);
  const usableUntil = expiresAt - skew;
  const usableLifetime =
    issuedAt === undefined ? policy.refreshAheadMs * 2 : Math.max(0, usableUntil - issuedAt);
  const window = Math.min(policy.refreshAheadMs, usableLifetime / 2);
  if (window <= 0) return { usableUntil, refreshAt: Number.POSITIVE_INFINITY };
  return { usableUntil, refreshAt: usableUntil - window + random * (window / 2) };
}
