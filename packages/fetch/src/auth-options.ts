import type { AuthStrategy } from '@auth/core';
import type { AuthRetryPolicy } from './auth-retry.js';

/**
 * What `createAuthFetch` and `authInterceptor` share: which strategy puts credentials
 * on a request, where they may go, and how a 401 is retried.
 *
 * @example
 * ```ts
 * import { bearerAuth } from '@auth/core';
 * import type { AuthScopeOptions } from '@auth/fetch';
 *
 * const shared: AuthScopeOptions = {
 *   auth: bearerAuth(process.env.API_TOKEN!),
 *   origins: ['https://api.example.com'],
 *   exclude: ['/health', '/public/*'],
 * };
 * ```
 */
export interface AuthScopeOptions {
  /** The strategy: `bearerAuth`, `apiKeyAuth`, `basicAuth`, `tokenAuth(manager)` or your own. */
  auth: AuthStrategy;
  /**
   * The origins (`https://api.example.com`) that receive credentials. Every other origin
   * gets the request untouched. `createAuthFetch` defaults it to the origin of `baseUrl`.
   */
  origins?: readonly (string | URL)[];
  /**
   * Paths that go without credentials: exact (`/health`) or with `*` matching any run of
   * characters, `/` included (`/public/*`, `*\/health`). Matched against the URL path,
   * without the query.
   */
  exclude?: readonly string[];
  /** How a 401 is retried. Default `authRetry.once()`. */
  retry?: AuthRetryPolicy;
  /**
   * Send credentials to `http:` origins that are not loopback. Off by default: over plain
   * HTTP anyone on the path can read them. Only for test rigs inside a private network.
   */
  allowInsecureHttp?: boolean;
}
