/**
 * `createAuthFetch`: wraps any `fetch` so requests to the configured origins carry
 * credentials from an `AuthStrategy`, with 401 recovery.
 *
 * @module @auth/fetch
 */
export type { AuthScopeOptions } from './auth-options.js';
export {
  type AuthRetryPolicy,
  type AuthRetryState,
  authRetry,
  type ConditionalAuthRetryOptions,
  type ExponentialAuthRetryOptions,
  type OnceAuthRetryOptions,
} from './auth-retry.js';
export { type AuthFetchOptions, createAuthFetch, type FetchFunction } from './create-auth-fetch.js';
