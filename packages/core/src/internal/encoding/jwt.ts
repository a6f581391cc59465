import { fromBase64Text } from './base64.js';

/** 10^12 ms (September 2001): the earliest instant a `TokenSet` accepts. */
const EARLIEST_CLAIM_MS = 1e12;

/** The time claims of a JWT, in epoch milliseconds. */
export interface JwtTimes {
  expiresAt?: number;
  issuedAt?: number;
}

/**
 * The claims of a JWT's payload, not verified: for reading hints (times, a nonce) from a
 * token that is not being trusted. `undefined` for anything that is not a JWS compact
 * serialization with a JSON object payload.
 *
 * @param token - The JWT.
 * @returns The payload's claims.
 */
export function jwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(fromBase64Text(parts[1]));
  } catch {
    return undefined;
  }
  return typeof claims === 'object' && claims !== null && !Array.isArray(claims)
    ? (claims as Record<string, unknown>)
    : undefined;
}

/**
 * Reads `exp` and `iat` from a JWT's payload without verifying it: the token is only
 * being scheduled, not trusted. Returns `undefined` for anything that is not a JWS
 * compact serialization with a JSON object payload.
 */
export function readJwtTimes(token: string): JwtTimes | undefined {
  const claims = jwtClaims(token);
  if (claims === undefined) return undefined;
  const { exp, iat } = claims;
  const times: JwtTimes = {};
  // Claims are NumericDates (seconds). One before 2001 is nonsense: an `exp` that early has
  // passed (kept as the earliest instant a TokenSet takes, so it reads as expired), an `iat`
  // that early is dropped.
  if (typeof exp === 'number' && Number.isFinite(exp))
    times.expiresAt = Math.max(exp * 1000, EARLIEST_CLAIM_MS);
  if (typeof iat === 'number' && Number.isFinite(iat) && iat * 1000 >= EARLIEST_CLAIM_MS)
    times.issuedAt = iat * 1000;
  return times;
}
