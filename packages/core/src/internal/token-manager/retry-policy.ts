import { AuthError, AuthenticationError, OAuthError, TokenEndpointError } from '../../errors.js';
import type { RetryOptions } from '../../token-manager-options.js';
import { backoffMs } from '../backoff.js';

/** Resolved retry settings. */
export type RetryPolicy = Required<RetryOptions>;

/** How a failed token request should be treated. */
export interface FailureClass {
  retryable: boolean;
  retryAfterMs?: number;
}

const TRANSIENT_OAUTH_ERRORS = new Set(['temporarily_unavailable', 'server_error']);

/** Fills in the defaults and checks the numbers. */
export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  const policy = { maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 30_000, ...options };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new TypeError('retry.maxAttempts must be a whole number of at least 1');
  }
  for (const name of ['baseDelayMs', 'maxDelayMs'] as const) {
    if (!Number.isFinite(policy[name]) || policy[name] < 0)
      throw new TypeError(`retry.${name} must be a non-negative number`);
  }
  return policy;
}

/**
 * Transient: network faults, timeouts, 5xx, 429, `temporarily_unavailable`, and errors
 * of unknown origin (a custom provider's). Permanent: other OAuth errors
 * (`invalid_client`, `invalid_grant`, …) and malformed responses. An
 * `AuthenticationError` (from a manager a provider uses inside) is classified by its cause.
 */
export function classifyFailure(error: unknown): FailureClass {
  // Another manager's "could not obtain a token" (a pipeline step's, say) is as transient as its cause.
  if (AuthenticationError.isInstance(error) && error.cause !== undefined)
    return classifyFailure(error.cause);
  if (TokenEndpointError.isInstance(error))
    return { retryable: error.retryable, retryAfterMs: error.retryAfterMs };
  if (OAuthError.isInstance(error)) {
    const status = error.status ?? 0;
    const retryable = TRANSIENT_OAUTH_ERRORS.has(error.error) || status >= 500 || status === 429;
    return { retryable, retryAfterMs: error.retryAfterMs };
  }
  return { retryable: !AuthError.isInstance(error) };
}

/** The delay before attempt `attempt + 1`: the server's `Retry-After`, else jittered exponential backoff. */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  failure: FailureClass,
  random: number,
): number {
  if (failure.retryAfterMs !== undefined) return failure.retryAfterMs;
  return backoffMs(attempt, { firstMs: policy.baseDelayMs, maxMs: policy.maxDelayMs }, random);
}
