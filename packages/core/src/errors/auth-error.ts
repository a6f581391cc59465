/**
 * The base of every error class (`AuthError`), its codes, and the `Symbol.for` brands that
 * make `isInstance` work across copies of the package.
 *
 * @module
 */

/** The prefix of every error class's `Symbol.for` brand. */
export const BRAND_PREFIX = '@auth/core/';

/** The `code` of every error the packages throw. */
export type AuthErrorCode =
  | 'auth_error'
  | 'manager_closed'
  | 'oauth_error'
  | 'token_endpoint_error'
  | 'token_response_invalid'
  | 'token_expired'
  | 'token_response_too_large'
  | 'token_type_unsupported'
  | 'token_set_format'
  | 'session_expired'
  | 'token_store_error'
  | 'authentication_failed'
  | 'interaction_failed'
  | 'authorization_timeout'
  | 'credential_unavailable';

/** Options every error constructor accepts. */
export interface AuthErrorOptions {
  /** The underlying failure, kept for debugging. Must not hold a secret either. */
  cause?: unknown;
}

/**
 * Base class of every error from the auth packages.
 *
 * @example
 * ```ts
 * import { AuthError, type TokenManager } from '@auth/core';
 *
 * declare const manager: TokenManager;
 * try {
 *   await manager.getToken();
 * } catch (error) {
 *   if (AuthError.isInstance(error)) console.error(error.code, error.message);
 * }
 * ```
 */
export class AuthError extends Error {
  /** The brand that marks instances of this class and its subclasses. */
  static readonly brand: symbol = Symbol.for(`${BRAND_PREFIX}AuthError`);

  /** A stable machine-readable code for the failure. */
  readonly code: AuthErrorCode;

  /**
   * Creates an error with a message, a code and an optional cause.
   *
   * @param message - What went wrong, for a human; never a secret.
   * @param code - The machine-readable code (subclasses fix their own).
   * @param options - `cause`: the underlying error.
   */
  constructor(message: string, code: AuthErrorCode = 'auth_error', options: AuthErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    // Brand the instance with every class of its chain, so `AuthError.isInstance` and
    // `OAuthError.isInstance` both recognise an OAuthError from another package copy.
    for (let cls: unknown = new.target; isBrandedClass(cls); cls = Object.getPrototypeOf(cls)) {
      Object.defineProperty(this, cls.brand, { value: true });
    }
  }

  /**
   * Whether `value` is an AuthError (of any subclass), even one created by another copy
   * of the package, where `instanceof` would say no. Each subclass has its own
   * `isInstance`; all are plain functions, safe to pass around unbound.
   *
   * @param value - Anything, typically a caught error.
   * @returns `true` when `value` carries this class's brand.
   */
  static readonly isInstance: (value: unknown) => value is AuthError = brandCheck(AuthError.brand);
}

/** A type guard that recognises instances by their `Symbol.for` brand. */
export function brandCheck<T extends AuthError>(brand: symbol): (value: unknown) => value is T {
  return (value: unknown): value is T =>
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true;
}

function isBrandedClass(value: unknown): value is { brand: symbol } {
  return typeof value === 'function' && Object.hasOwn(value, 'brand');
}
