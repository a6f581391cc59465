import { OAuthError, TokenEndpointError } from '../errors.js';
import { classifyFailure } from './retry-policy.js';

/** Errors that blame the client's credentials, not the refresh token. */
const CLIENT_REFUSALS = new Set(['invalid_client', 'unauthorized_client']);

/**
 * Whether a refresh failure says the refresh token is dead, so the manager signs in again
 * (or ends the session): `invalid_grant`, or a non-retryable HTTP 400 or 401 that does not
 * blame the client. Some servers answer a reused or revoked refresh token with a bare 400, or
 * with `invalid_request`; `invalid_client` and `unauthorized_client` are the client's
 * credentials, which a new sign-in would not mend.
 *
 * @param error - What the refresh request failed with.
 */
export function refreshRefused(error: unknown): boolean {
  const refusal = (status: number | undefined) => status === 400 || status === 401;
  if (TokenEndpointError.isInstance(error)) return !error.retryable && refusal(error.status);
  if (!OAuthError.isInstance(error)) return false;
  if (error.error === 'invalid_grant') return true;
  return (
    refusal(error.status) && !CLIENT_REFUSALS.has(error.error) && !classifyFailure(error).retryable
  );
}
