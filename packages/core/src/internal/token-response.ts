import { TokenResponseError } from '../errors.js';
import type { TokenResponseOptions, TokenSet, TokenSetInit } from '../token-set.js';
import { isoTime } from './encoding/iso-time.js';
import { readJwtTimes } from './encoding/jwt.js';

/** The `Authorization` schemes every token set knows, by their lower-case name. */
export const KNOWN_SCHEMES: Record<string, string> = { bearer: 'Bearer', dpop: 'DPoP' };

/**
 * The body of `TokenSet.fromResponse`: reads an OAuth token response (RFC 6749 §5.1) and builds
 * the token set with `create`.
 *
 * @throws {TokenResponseError} As `TokenSet.fromResponse`.
 */
export function tokenSetFromResponse(
  body: unknown,
  options: TokenResponseOptions,
  create: (init: TokenSetInit) => TokenSet,
): TokenSet {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new TokenResponseError('token response is not a JSON object');
  }
  const fields = body as Record<string, unknown>;
  const now = (options.now ?? Date.now)();
  const accessToken = fields.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new TokenResponseError('token response has no "access_token"');
  }
  const tokenType = acceptedTokenType(
    optionalString(fields, 'token_type'),
    options.acceptTokenTypes,
  );
  const expiresIn = optionalSeconds(fields, 'expires_in');
  if (expiresIn !== undefined && expiresIn <= 0) {
    throw new TokenResponseError(
      `token response has "expires_in" ${expiresIn}: the token expired on arrival`,
      { code: 'token_expired' },
    );
  }
  const refreshExpiresIn = refreshLifetime(optionalSeconds(fields, 'refresh_expires_in'));
  const jwtExpiresAt = expiresIn === undefined ? readJwtTimes(accessToken)?.expiresAt : undefined;
  if (jwtExpiresAt !== undefined && jwtExpiresAt <= now) {
    throw new TokenResponseError(
      `token response holds a JWT access token that expired at ${isoTime(jwtExpiresAt)}, before it arrived`,
      { code: 'token_expired' },
    );
  }
  let tokens: TokenSet;
  try {
    tokens = create({
      accessToken,
      tokenType,
      expiresAt: expiresIn === undefined ? jwtExpiresAt : now + expiresIn * 1000,
      refreshToken: optionalString(fields, 'refresh_token'),
      refreshExpiresAt: refreshExpiresIn === undefined ? undefined : now + refreshExpiresIn * 1000,
      idToken: optionalString(fields, 'id_token'),
      scope: optionalString(fields, 'scope'),
      issuedAt: now,
    });
  } catch (error) {
    throw new TokenResponseError(`token response is invalid: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return tokens;
}

/** The token type to use: Bearer when absent; Bearer, DPoP or an accepted one, else refused. */
function acceptedTokenType(given: string | undefined, accepted: readonly string[] = []): string {
  if (given === undefined) return 'Bearer';
  const lower = given.toLowerCase();
  if (lower in KNOWN_SCHEMES || accepted.some((type) => type.toLowerCase() === lower)) return given;
  throw new TokenResponseError(
    `token response has an unsupported "token_type" (only Bearer and DPoP unless acceptTokenTypes allows it)`,
    { code: 'token_type_unsupported' },
  );
}

function optionalString(fields: Record<string, unknown>, name: string): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new TokenResponseError(`token response field "${name}" is not a string`);
  return value;
}

function optionalSeconds(fields: Record<string, unknown>, name: string): number | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  const seconds =
    typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
    throw new TokenResponseError(`token response field "${name}" is not a number of seconds`);
  }
  return seconds;
}

/**
 * `refresh_expires_in` as a lifetime: 0 means the server sets no limit (Keycloak sends it
 * for offline tokens), so it is treated as absent; a negative value is malformed.
 */
function refreshLifetime(seconds: number | undefined): number | undefined {
  if (seconds !== undefined && seconds < 0) {
    throw new TokenResponseError('token response field "refresh_expires_in" is negative');
  }
  return seconds === 0 ? undefined : seconds;
}
