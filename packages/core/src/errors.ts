/**
 * The error classes of the auth packages. Every one extends {@link AuthError}, carries a
 * machine-readable `code`, passes its `cause` on, and never holds a secret in its message
 * or properties.
 *
 * `instanceof` fails when two copies of the package are installed, so each class is
 * branded with a `Symbol.for(...)` key and has a static `isInstance()` that checks the
 * brand instead.
 *
 * @module
 */

import {
  AuthError,
  type AuthErrorCode,
  type AuthErrorOptions,
  BRAND_PREFIX,
  brandCheck,
} from './errors/auth-error.js';

export { AuthError, type AuthErrorCode, type AuthErrorOptions } from './errors/auth-error.js';

/** Fields of an RFC 6749 §5.2 error response. */
export interface OAuthErrorFields extends AuthErrorOptions {
  /** The `error` code, e.g. `invalid_grant`. */
  error: string;
  /** `error_description`, when the server sent one. */
  errorDescription?: string;
  /** `error_uri`, when the server sent one. */
  errorUri?: string;
  /** The HTTP status of the response. */
  status?: number;
  /** How long the server asked the client to wait (`Retry-After`), in milliseconds. */
  retryAfterMs?: number;
}

/**
 * The authorization server answered with an OAuth error (RFC 6749 §5.2), such as
 * `invalid_client` or `invalid_grant`.
 *
 * @example
 * ```ts
 * import { OAuthError } from '@auth/core';
 *
 * declare const error: unknown;
 * if (OAuthError.isInstance(error) && error.error === 'invalid_grant') {
 *   // the refresh token or credentials were rejected
 * }
 * ```
 */
export class OAuthError extends AuthError {
  static override readonly brand: symbol = Symbol.for(`${BRAND_PREFIX}OAuthError`);
  /** Whether `value` is a {@link OAuthError}, from any copy of the package. */
  static override readonly isInstance: (value: unknown) => value is OAuthError = brandCheck(
    OAuthError.brand,
  );
  /** The RFC 6749 `error` code. */
  readonly error: string;
  /** The server's `error_description`. */
  readonly errorDescription: string | undefined;
  /** The server's `error_uri`. */
  readonly errorUri: string | undefined;
  /** The HTTP status of the error response. */
  readonly status: number | undefined;
  /** The server's `Retry-After`, in milliseconds, if it sent one. */
  readonly retryAfterMs: number | undefined;

  /**
   * Creates the error from a parsed RFC 6749 §5.2 error response; the message names the
   * `error` code and, when present, the `error_description`.
   *
   * @param fields - The parsed error response.
   */
  constructor(fields: OAuthErrorFields) {
    const detail = fields.errorDescription ? `: ${fields.errorDescription}` : '';
    super(`OAuth error "${fields.error}"${detail}`, 'oauth_error', fields);
    this.error = fields.error;
    this.errorDescription = fields.errorDescription;
    this.errorUri = fields.errorUri;
    this.status = fields.status;
    this.retryAfterMs = fields.retryAfterMs;
  }
}

/** Fields of a {@link TokenEndpointError}. */
export interface TokenEndpointErrorFields extends AuthErrorOptions {
  /** The HTTP status, when a response arrived. */
  status?: number;
  /** Whether trying again later may succeed (network faults, timeouts, 5xx, 429). */
  retryable: boolean;
  /** The server's `Retry-After`, in milliseconds, if it sent one. */
  retryAfterMs?: number;
}

/**
 * The token endpoint could not be used: network failure, timeout, an HTTP error without
 * an OAuth error body, or a body that is not JSON.
 */
export class TokenEndpointError extends AuthError {
  static override readonly brand: symbol = Symbol.for(`${BRAND_PREFIX}TokenEndpointError`);
  /** Whether `value` is a {@link TokenEndpointError}, from any copy of the package. */
  static override readonly isInstance: (value: unknown) => value is TokenEndpointError = brandCheck(
    TokenEndpointError.brand,
  );
  /** The HTTP status, when a response arrived. */
  readonly status: number | undefined;
  /** Whether trying again later may succeed. */
  readonly retryable: boolean;
  /** The server's `Retry-After`, in milliseconds, if it sent one. */
  readonly retryAfterMs: number | undefined;

  /**
   * Creates the error with the response status, whether a retry may help, and the cause.
   *
   * @param message - What failed; never a secret.
   * @param fields - Status, retryability and `cause`.
   */
  constructor(message: string, fields: TokenEndpointErrorFields) {
    super(message, 'token_endpoint_error', fields);
    this.status = fields.status;
    this.retryable = fields.retryable;
    this.retryAfterMs = fields.retryAfterMs;
  }
}

/**
 * The codes of a {@link TokenResponseError}: `token_response_invalid` (a missing or
 * malformed field), `token_expired` (the token had expired on arrival: `expires_in` ≤ 0,
 * a JWT `exp` in the past, or a static token past its `exp`), `token_response_too_large`
 * (the body exceeded `maxResponseBytes`), `token_type_unsupported` (a `token_type` other
 * than Bearer or DPoP that the caller did not allow).
 */
export type TokenResponseErrorCode = Extract<
  AuthErrorCode,
  'token_response_invalid' | 'token_expired' | 'token_response_too_large' | 'token_type_unsupported'
>;

/** Options of a {@link TokenResponseError}. */
export interface TokenResponseErrorOptions extends AuthErrorOptions {
  /** What is wrong with the response. Default `token_response_invalid`. */
  code?: TokenResponseErrorCode;
}

/**
 * A token response was received but cannot be used: not a valid RFC 6749 §5.1 response,
 * a token that had already expired, an unsupported token type, or a body over the size cap.
 * `code` says which.
 *
 * @example
 * ```ts
 * import { TokenResponseError } from '@auth/core';
 *
 * declare const error: unknown;
 * if (TokenResponseError.isInstance(error) && error.code === 'token_expired') {
 *   // the server (or the static token) handed out a token that had already expired
 * }
 * ```
 */
export class TokenResponseError extends AuthError {
  static override readonly brand: symbol = Symbol.for(`${BRAND_PREFIX}TokenResponseError`);
  /** Whether `value` is a {@link TokenResponseError}, from any copy of the package. */
  static override readonly isInstance: (value: unknown) => value is TokenResponseError = brandCheck(
    TokenResponseError.brand,
  );

  /**
   * Creates the error, naming the field at fault.
   *
   * @param message - Which field is missing or malformed; never its value.
   * @param options - `code` (default `token_response_invalid`) and `cause`.
   */
  constructor(message: string, options: TokenResponseErrorOptions = {}) {
    super(message, options.code ?? 'token_response_invalid', options);
  }
}

/** Stored token data could not be read back: wrong shape, version or types. */
export class TokenSetFormatError extends AuthError {
  static override readonly brand: symbol = Symbol.for(`${BRAND_PREFIX}TokenSetFormatError`);
  /** Whether `value` is a {@link TokenSetFormatError}, from any copy of the package. */
  static override readonly isInstance: (value: unknown) => value is TokenSetFormatError =
    brandCheck(TokenSetFormatError.brand);

  /**
   * Creates the error, naming what could not be read back.
   *
   * @param message - What is malformed; never a value.
   * @param options - `cause`.
   */
  constructor(message: string, options: AuthErrorOptions = {}) {
    super(message, 'token_set_format', options);
  }
}

/**
 * The session is over: the refresh token was rejected or has expired, and the provider
 * cannot sign in again by itself. The user has to log in again.
 */
export class SessionExpiredError extends AuthError {
  static override readonly brand: symbol = Symbol.for(`${BRAND_PREFIX}SessionExpiredError`);
  /** Whether `value` is a {@link SessionExpiredError}, from any copy of the package. */
  static override readonly isInstance: (value: unknown) => value is SessionExpiredError =
    brandCheck(SessionExpiredError.brand);

  /**
   * Creates the error; the default message tells the user to log in again.
   *
   * @param message - Why the session ended.
   * @param options - `cause`: typically the `invalid_grant` {@link OAuthError}.
   */
  constructor(message = 'the session has expired: log in again', options: AuthErrorOptions = {}) {
    super(message, 'session_expired', options);
  }
}

/** Fields of a {@link TokenStoreError}. */
export interface TokenStoreErrorFields extends AuthErrorOptions {
  /** The store operation that failed. */
  operation?: 'get' | 'set' | 'delete' | 'lock' | 'unlock' | 'wait';
  /**
   * What the key holds when it is not the kind of entry that was read: `sealed` when `get`
   * found a sealed record, `tokens` when `getSealed` found a `TokenSet`.
   */
  found?: 'tokens' | 'sealed';
}

/** A token store could not do its work: backend down, disk full, unreadable data. */
export class TokenStoreError extends AuthError {
  static override readonly brand: symbol = Symbol.for(`${BRAND_PREFIX}TokenStoreError`);
  /** Whether `value` is a {@link TokenStoreError}, from any copy of the package. */
  static override readonly isInstance: (value: unknown) => value is TokenStoreError = brandCheck(
    TokenStoreError.brand,
  );
  /** The store operation that failed. */
  readonly operation: TokenStoreErrorFields['operation'];
  /** What the key holds when it is not the kind of entry that was read (see {@link TokenStoreErrorFields.found}). */
  readonly found: TokenStoreErrorFields['found'];

  /**
   * Creates the error, naming the store operation that failed.
   *
   * @param message - What failed; never a token.
   * @param fields - `operation`, `found` and `cause`.
   */
  constructor(message: string, fields: TokenStoreErrorFields = {}) {
    super(message, 'token_store_error', fields);
    this.operation = fields.operation;
    this.found = fields.found;
  }
}

/** Fields of an {@link AuthenticationError}. */
export interface AuthenticationErrorFields extends AuthErrorOptions {
  /** The service the credentials were for (a manager's `serviceName`, or an origin). */
  serviceName: string;
}

/**
 * No credentials could be obtained for a request. `cause` holds the underlying error
 * (an {@link OAuthError}, a {@link TokenEndpointError}, a network error, …).
 */
export class AuthenticationError extends AuthError {
  static override readonly brand: symbol = Symbol.for(`${BRAND_PREFIX}AuthenticationError`);
  /** Whether `value` is a {@link AuthenticationError}, from any copy of the package. */
  static override readonly isInstance: (value: unknown) => value is AuthenticationError =
    brandCheck(AuthenticationError.brand);
  /** The service the credentials were for. */
  readonly serviceName: string;

  /**
   * Creates the error for the service whose credentials could not be obtained.
   *
   * @param message - What could not be obtained.
   * @param fields - `serviceName` and `cause`.
   */
  constructor(message: string, fields: AuthenticationErrorFields) {
    super(message, 'authentication_failed', fields);
    this.serviceName = fields.serviceName;
  }
}

/** Fields of a {@link CredentialUnavailableError}. */
export interface CredentialUnavailableErrorFields extends AuthErrorOptions {
  /**
   * Where the credential was looked for, never a secret: a file path, an environment
   * variable, a metadata endpoint's URL.
   */
  source: string;
}

/**
 * The credential a workload expected from its platform is not there: a token file that is
 * missing, empty or unreadable, an environment variable that is not set, a metadata server
 * that does not answer. Usually the code runs off that platform (a developer's machine, CI),
 * so a caller can try another way to authenticate.
 *
 * @example
 * ```ts
 * import { CredentialUnavailableError, type TokenProvider } from '@auth/core';
 *
 * declare const workload: TokenProvider;
 * declare const developer: TokenProvider;
 * async function firstToken() {
 *   try {
 *     return await workload.fetchToken();
 *   } catch (error) {
 *     if (!CredentialUnavailableError.isInstance(error)) throw error;
 *     return developer.fetchToken(); // not on the platform: use the developer's login
 *   }
 * }
 * ```
 */
export class CredentialUnavailableError extends AuthError {
  static override readonly brand: symbol = Symbol.for(`${BRAND_PREFIX}CredentialUnavailableError`);
  /** Whether `value` is a {@link CredentialUnavailableError}, from any copy of the package. */
  static override readonly isInstance: (value: unknown) => value is CredentialUnavailableError =
    brandCheck(CredentialUnavailableError.brand);
  /** Where the credential was looked for (see {@link CredentialUnavailableErrorFields.source}). */
  readonly source: string;

  /**
   * Creates the error, naming where the credential was looked for.
   *
   * @param message - What is missing; never a secret.
   * @param fields - `source` and `cause`.
   */
  constructor(message: string, fields: CredentialUnavailableErrorFields) {
    super(message, 'credential_unavailable', fields);
    this.source = fields.source;
  }
}
