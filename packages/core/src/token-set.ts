import { TokenSetFormatError } from './errors.js';
import { fingerprint } from './internal/crypto/fingerprint.js';
import { isoTime, LATEST_EPOCH_MS } from './internal/encoding/iso-time.js';
import { hasControlCharacter, isHeaderToken, isVisibleAscii } from './internal/header-values.js';
import { inspectSymbol } from './internal/redaction.js';
import { KNOWN_SCHEMES, tokenSetFromResponse } from './internal/token-response.js';

/** What a {@link TokenSet} is built from. Times are epoch milliseconds. */
export interface TokenSetInit {
  /** The access token. Non-empty visible ASCII: no whitespace or control characters. */
  accessToken: string;
  /** The scheme for the `Authorization` header; `bearer` and `dpop` are normalised. Default `Bearer`. */
  tokenType?: string;
  /** When the access token expires; absent means it never does. */
  expiresAt?: number;
  /** A refresh token, if the server issued one. */
  refreshToken?: string;
  /** When the refresh token expires, if the server said. */
  refreshExpiresAt?: number;
  /** An OpenID Connect ID token. */
  idToken?: string;
  /** The granted scope, space-separated. */
  scope?: string;
  /** When the token was issued or obtained; used to clamp the expiry skew. */
  issuedAt?: number;
}

/**
 * The plain, versioned form of a {@link TokenSet} that stores persist
 * (see {@link TokenSet.serialize}). It holds the secrets: keep it out of logs.
 */
export interface SerializedTokenSet extends Omit<TokenSetInit, 'tokenType'> {
  /** Format version; currently `1`. */
  version: 1;
  /** The normalised scheme (always present once serialized). */
  tokenType: string;
}

/** The redacted view of a {@link TokenSet}: what `JSON.stringify` and `util.inspect` show. */
export interface RedactedTokenSet {
  /** The normalised scheme, e.g. `Bearer`. */
  tokenType: string;
  /** The access token's {@link TokenSet.fingerprint}: a short hash, not the token. */
  fingerprint: string;
  /** When the access token expires, as an ISO 8601 date; absent when unknown. */
  expiresAt?: string;
  /** When the refresh token expires, as an ISO 8601 date; absent when unknown. */
  refreshExpiresAt?: string;
  /** The granted scope, when the server sent one. */
  scope?: string;
  /** Whether the set holds a refresh token (never the token itself). */
  hasRefreshToken: boolean;
  /** Whether the set holds an ID token (never the token itself). */
  hasIdToken: boolean;
}

/** Options of {@link TokenSet.fromResponse}. */
export interface TokenResponseOptions {
  /** The clock, for turning `expires_in` into an instant. Default `Date.now`. */
  now?: () => number;
  /**
   * Token types accepted besides `Bearer` and `DPoP` (compared case-insensitively), e.g.
   * `['MAC']` for a server whose API expects that scheme. Default: none.
   */
  acceptTokenTypes?: readonly string[];
}

const SERIALIZED_VERSION = 1;
const FINGERPRINT_LENGTH = 12;
/** Epoch milliseconds below this can only be epoch seconds (10^12 ms is September 2001). */
const SMALLEST_EPOCH_MS = 1e12;

/**
 * An immutable set of tokens from one grant: the access token, its type and expiry, and
 * optionally a refresh token, an ID token and the granted scope.
 *
 * Secrets never leak by accident: `String(t)`, `JSON.stringify(t)` and `util.inspect(t)`
 * show the type, expiry, scope and {@link TokenSet.fingerprint}, never a token. Persist a
 * token set with the explicit {@link TokenSet.serialize}.
 *
 * @example
 * ```ts
 * import { TokenSet } from '@auth/core';
 *
 * const tokens = TokenSet.fromResponse({ access_token: 'abc', token_type: 'bearer', expires_in: 3600 });
 * tokens.authorizationHeader; // "Bearer abc"
 * tokens.isAccessValid(30_000); // true: more than 30 s left
 * JSON.stringify(tokens); // no "abc" in it
 * ```
 */
export class TokenSet {
  readonly #accessToken: string;
  readonly #refreshToken: string | undefined;
  readonly #idToken: string | undefined;
  #fingerprint: string | undefined;
  #authorizationHeader: string | undefined;

  /** The `Authorization` scheme, normalised (`Bearer`, `DPoP`, …). */
  readonly tokenType: string;
  /** When the access token expires (epoch ms); `undefined` means never. */
  readonly expiresAt: number | undefined;
  /** When the refresh token expires (epoch ms), if known. */
  readonly refreshExpiresAt: number | undefined;
  /** The granted scope, space-separated. */
  readonly scope: string | undefined;
  /** When the token was issued or obtained (epoch ms), if known. */
  readonly issuedAt: number | undefined;

  /**
   * @param init - The tokens and their times.
   * @throws {TypeError} An empty access token, one with whitespace or control characters,
   *   an invalid token type, a time that is not a finite number, or a time below 10^12,
   *   which can only be epoch seconds (times are epoch milliseconds: multiply seconds by
   *   1000). Times beyond what `Date` represents are clamped to its last instant, so
   *   printing a token never throws.
   */
  constructor(init: TokenSetInit) {
    if (typeof init !== 'object' || init === null) throw new TypeError('TokenSet needs an object');
    const { accessToken, tokenType = 'Bearer', refreshToken, idToken, scope } = init;
    if (typeof accessToken !== 'string' || !isVisibleAscii(accessToken)) {
      throw new TypeError(
        'accessToken must be a non-empty string of visible ASCII characters (no whitespace or control characters)',
      );
    }
    if (typeof tokenType !== 'string' || !isHeaderToken(tokenType)) {
      throw new TypeError('tokenType must be an HTTP authentication scheme name such as "Bearer"');
    }
    for (const [name, value] of [
      ['refreshToken', refreshToken],
      ['idToken', idToken],
    ] as const) {
      if (
        value !== undefined &&
        (typeof value !== 'string' || value === '' || hasControlCharacter(value))
      ) {
        throw new TypeError(`${name} must be a non-empty string without control characters`);
      }
    }
    if (scope !== undefined && (typeof scope !== 'string' || hasControlCharacter(scope))) {
      throw new TypeError('scope must be a string without control characters');
    }
    this.#accessToken = accessToken;
    this.#refreshToken = refreshToken;
    this.#idToken = idToken;
    this.tokenType = KNOWN_SCHEMES[tokenType.toLowerCase()] ?? tokenType;
    this.expiresAt = checkTime('expiresAt', init.expiresAt);
    this.refreshExpiresAt = checkTime('refreshExpiresAt', init.refreshExpiresAt);
    this.issuedAt = checkTime('issuedAt', init.issuedAt);
    this.scope = scope;
    Object.freeze(this);
  }

  /**
   * Parses an RFC 6749 §5.1 token response. `expires_in` may be a number or a numeric
   * string; without it, a JWT access token's `exp` claim (decoded, not verified) sets the
   * expiry. A token that has already expired on arrival is refused, never returned.
   *
   * @param body - The parsed JSON body of a successful token response.
   * @param options - `now`: the clock; `acceptTokenTypes`: schemes allowed besides Bearer and DPoP.
   * @returns The token set, with `issuedAt` set to `now()`.
   * @throws {TokenResponseError} With code `token_response_invalid`: no `access_token`, or a
   *   field of the wrong type or value; `token_expired`: `expires_in` ≤ 0, or a JWT `exp`
   *   that has passed; `token_type_unsupported`: a `token_type` other than Bearer or DPoP
   *   that is not in `acceptTokenTypes`.
   * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
   * @example
   * ```ts
   * import { TokenSet } from '@auth/core';
   *
   * TokenSet.fromResponse({ access_token: 'abc', token_type: 'MAC' }, { acceptTokenTypes: ['MAC'] });
   * ```
   */
  static fromResponse(body: unknown, options: TokenResponseOptions = {}): TokenSet {
    return tokenSetFromResponse(body, options, (init) => new TokenSet(init));
  }

  /**
   * Reads back what {@link TokenSet.serialize} wrote, validating every field.
   *
   * @param data - The stored plain object.
   * @returns The token set.
   * @throws {TokenSetFormatError} Anything malformed: not an object, an unknown
   *   `version`, a missing access token or a field of the wrong type.
   */
  static deserialize(data: unknown): TokenSet {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new TokenSetFormatError('stored token data is not an object');
    }
    const record = data as Record<string, unknown>;
    if (record.version !== SERIALIZED_VERSION) {
      throw new TokenSetFormatError(
        `stored token data has unsupported version ${describeVersion(record.version)}`,
      );
    }
    for (const name of ['accessToken', 'tokenType'] as const) {
      if (typeof record[name] !== 'string')
        throw new TokenSetFormatError(`stored token data has no valid "${name}"`);
    }
    for (const name of ['refreshToken', 'idToken', 'scope'] as const) {
      if (record[name] !== undefined && typeof record[name] !== 'string') {
        throw new TokenSetFormatError(`stored token data has an invalid "${name}"`);
      }
    }
    for (const name of ['expiresAt', 'refreshExpiresAt', 'issuedAt'] as const) {
      if (
        record[name] !== undefined &&
        (typeof record[name] !== 'number' || !Number.isFinite(record[name]))
      ) {
        throw new TokenSetFormatError(`stored token data has an invalid "${name}"`);
      }
    }
    try {
      return new TokenSet(record as unknown as TokenSetInit);
    } catch (error) {
      throw new TokenSetFormatError(`stored token data is invalid: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /** The access token. A secret: send it, never log it. */
  get accessToken(): string {
    return this.#accessToken;
  }

  /** The refresh token, if any. A secret. */
  get refreshToken(): string | undefined {
    return this.#refreshToken;
  }

  /** The OpenID Connect ID token, if any. A secret. */
  get idToken(): string | undefined {
    return this.#idToken;
  }

  /** The value for the `Authorization` header: `"<tokenType> <accessToken>"`. */
  get authorizationHeader(): string {
    this.#authorizationHeader ??= `${this.tokenType} ${this.#accessToken}`;
    return this.#authorizationHeader;
  }

  /**
   * A short, stable, non-reversible tag of the access token (a SHA-256 prefix), for
   * telling tokens apart in logs and metrics.
   */
  get fingerprint(): string {
    this.#fingerprint ??= fingerprint(this.#accessToken, FINGERPRINT_LENGTH);
    return this.#fingerprint;
  }

  /**
   * Whether the access token is still usable `skewMs` before its expiry.
   *
   * @param skewMs - Safety margin before `expiresAt`. Default 0.
   * @param now - The current time (epoch ms). Default `Date.now()`.
   * @returns `true` when the token has no expiry or expires more than `skewMs` from now.
   */
  isAccessValid(skewMs = 0, now: number = Date.now()): boolean {
    return this.expiresAt === undefined || now < this.expiresAt - skewMs;
  }

  /**
   * Whether a refresh token is present and still usable `skewMs` before its expiry.
   *
   * @param skewMs - Safety margin before `refreshExpiresAt`. Default 0.
   * @param now - The current time (epoch ms). Default `Date.now()`.
   * @returns `false` without a refresh token; otherwise `true` unless it has expired.
   */
  isRefreshValid(skewMs = 0, now: number = Date.now()): boolean {
    if (this.#refreshToken === undefined) return false;
    return this.refreshExpiresAt === undefined || now < this.refreshExpiresAt - skewMs;
  }

  /**
   * A copy with some fields replaced, e.g. to keep the old refresh token when a refresh
   * response brought none.
   *
   * @param changes - The fields to replace.
   * @returns A new, validated token set.
   */
  with(changes: Partial<TokenSetInit>): TokenSet {
    return new TokenSet({ ...this.serialize(), ...changes });
  }

  /**
   * The plain, versioned form for stores. It holds the secrets: keep it out of logs.
   *
   * @returns A JSON-safe object that {@link TokenSet.deserialize} reads back.
   */
  serialize(): SerializedTokenSet {
    const data: SerializedTokenSet = {
      version: SERIALIZED_VERSION,
      accessToken: this.#accessToken,
      tokenType: this.tokenType,
    };
    if (this.expiresAt !== undefined) data.expiresAt = this.expiresAt;
    if (this.#refreshToken !== undefined) data.refreshToken = this.#refreshToken;
    if (this.refreshExpiresAt !== undefined) data.refreshExpiresAt = this.refreshExpiresAt;
    if (this.#idToken !== undefined) data.idToken = this.#idToken;
    if (this.scope !== undefined) data.scope = this.scope;
    if (this.issuedAt !== undefined) data.issuedAt = this.issuedAt;
    return data;
  }

  /** The redacted view used by `JSON.stringify`: no token values. */
  toJSON(): RedactedTokenSet {
    const view: RedactedTokenSet = {
      tokenType: this.tokenType,
      fingerprint: this.fingerprint,
      hasRefreshToken: this.#refreshToken !== undefined,
      hasIdToken: this.#idToken !== undefined,
    };
    if (this.expiresAt !== undefined) view.expiresAt = isoTime(this.expiresAt);
    if (this.refreshExpiresAt !== undefined) view.refreshExpiresAt = isoTime(this.refreshExpiresAt);
    if (this.scope !== undefined) view.scope = this.scope;
    return view;
  }

  /** A redacted one-line summary, e.g. `TokenSet(Bearer, expires 2026-01-01T00:00:00.000Z)`. */
  toString(): string {
    const expiry =
      this.expiresAt === undefined ? 'no expiry' : `expires ${isoTime(this.expiresAt)}`;
    const scope = this.scope === undefined ? '' : `, scope "${this.scope}"`;
    return `TokenSet(${this.tokenType}, ${expiry}${scope}, fingerprint ${this.fingerprint})`;
  }

  /** What `util.inspect` and `console.log` show: the redacted summary. */
  [inspectSymbol](): string {
    return this.toString();
  }
}

function checkTime(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new TypeError(`${name} must be a finite number of epoch milliseconds`);
  if (value < SMALLEST_EPOCH_MS) {
    throw new TypeError(
      `${name} is ${value}, which can only be epoch seconds: times are epoch milliseconds (multiply seconds by 1000)`,
    );
  }
  return Math.min(value, LATEST_EPOCH_MS);
}

function describeVersion(version: unknown): string {
  return typeof version === 'number'
    ? String(version)
    : typeof version === 'undefined'
      ? '(missing)'
      : `of type ${typeof version}`;
}
