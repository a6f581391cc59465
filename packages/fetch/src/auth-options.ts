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
   * without the query, both in their RFC 3986 normal form: percent-encoded unreserved
   * characters decoded (`/%70ublic` is `/public`), duplicate slashes merged (`//public`),
   * dot segments removed (`/a/../public`, `/a/%2e%2e/public`). An encoded slash (`%2F`) is
   * not decoded: it is part of its segment, not a separator.
   */
  exclude?: readonly string[];
  /**
   * Match `exclude` ignoring ASCII case (`/PUBLIC/x` matches `/public/*`), for servers whose
   * paths are case-insensitive. Default `false`: paths are case-sensitive (RFC 3986 §6.2.2.1).
   */
  excludeCaseInsensitive?: boolean;
  /** How a 401 is retried. Default `authRetry.once()`. */
  retry?: AuthRetryPolicy;
  /**
   * Send credentials to `http:` origins that are not loopback. Off by default: over plain
   * HTTP anyone on the path can read them. Only for test rigs inside a private network.
   */
  allowInsecureHttp?: boolean;
}
