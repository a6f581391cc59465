export type { AuthScopeOptions } from './auth-options.js';
export {
  type AuthRetryPolicy,
  type AuthRetryState,
  authRetry,
  type ConditionalAuthRetryOptions,
  type ExponentialAuthRetryOptions,
} from './auth-retry.js';
export { type AuthFetchOptions, createAuthFetch, type FetchFunction } from './create-auth-fetch.js';
