import { fromBase64Text } from './base64.js';

/** The time claims of a JWT, in epoch milliseconds. */
export interface JwtTimes {
  expiresAt?: number;
  issuedAt?: number;
}

/**
 * Reads `exp` and `iat` from a JWT's payload without verifying it: the token is only
 * being scheduled, not trusted. Returns `undefined` for anything that is not a JWS
 * compact serialization with a JSON object payload.
 */
export function readJwtTimes(token: string): JwtTimes | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(fromBase64Text(parts[1]));
  } catch {
    return undefined;
  }
  if (typeof claims !== 'object' || claims === null) return undefined;
  const { exp, iat } = claims as { exp?: unknown; iat?: unknown };
  const times: JwtTimes = {};
  if (typeof exp === 'number' && Number.isFinite(exp)) times.expiresAt = exp * 1000;
  if (typeof iat === 'number' && Number.isFinite(iat)) times.issuedAt = iat * 1000;
  return times;
}
