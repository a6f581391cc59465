import { OAuthError, TokenEndpointError } from '../../errors.js';

/**
 * OAuth errors that, with HTTP 400 or 401, say the refresh token is no good: what some servers
 * answer a reused or revoked refresh token with instead of `invalid_grant` (which counts at any
 * status, below).
 */
const DEAD_REFRESH_TOKEN = new Set(['invalid_request', 'invalid_token']);

/**
 * Whether a refresh failure says the refresh token is dead, so the manager signs in again
 * (or ends the session): `invalid_grant`, `invalid_request` or `invalid_token` with HTTP 400 or
 * 401 (`@jmondi/oauth2-server` answers a reused refresh token with `invalid_request`), or a
 * bare HTTP 400 or 401 without an OAuth error body. Other errors (`invalid_client`,
 * `use_dpop_nonce`, `invalid_dpop_proof`, `unsupported_grant_type`, `invalid_scope`, …) are
 * about the client or the request, which a new sign-in would not mend: they never end a
 * session.
 *
 * @param error - What the refresh request failed with.
 */
export function refreshRefused(error: unknown): boolean {
  const refusal = (status: number | undefined) => status === 400 || status === 401;
  if (TokenEndpointError.isInstance(error)) return !error.retryable && refusal(error.status);
  if (!OAuthError.isInstance(error)) return false;
  if (error.error === 'invalid_grant') return true;
  return DEAD_REFRESH_TOKEN.has(error.error) && refusal(error.status);
}
