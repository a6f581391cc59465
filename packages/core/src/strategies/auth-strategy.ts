/** The request a strategy authenticates. The strategy must not change it. */
export interface AuthRequest {
  /** The HTTP method, upper case. */
  method: string;
  /** The full request URL. */
  url: URL;
  /** The request's headers (including, in `onUnauthorized`, the credentials that were sent). */
  headers: Headers;
  /** The exact body bytes that are sent, when the adapter buffered them (for signing strategies). */
  body?: Uint8Array;
  /**
   * The caller's abort signal (`fetch`'s `init.signal` or `Request#signal`, undici's
   * `signal` option). A strategy that waits (for a token, a key) passes it on, so an abort ends
   * the caller's wait at once: `tokenAuth` and `dpopAuth` give it to `getToken` and
   * `forceRefresh`. The adapters reject with its `reason` once it aborted.
   */
  signal?: AbortSignal;
}

/** What a strategy sees of a response that was refused. */
export interface UnauthorizedResponse {
  /** The HTTP status: `401` from the `@auth/fetch` adapters. */
  status: number;
  /** The response headers, e.g. `WWW-Authenticate` or a `DPoP-Nonce`. */
  headers: Headers;
}

/**
 * What {@link AuthStrategy.onUnauthorized} is given: the refused request and its response.
 *
 * @example
 * ```ts
 * import type { AuthStrategy } from '@auth/core';
 *
 * // A fixed key cannot be renewed: report the refusal and let the 401 through.
 * const apiKey: AuthStrategy = {
 *   authenticate: () => ({ 'X-Api-Key': 'demo' }),
 *   async onUnauthorized({ request, response }) {
 *     console.warn(`${request.method} ${request.url.pathname} refused with ${response.status}`);
 *     return false;
 *   },
 * };
 * ```
 */
export interface UnauthorizedState {
  /** The request as it was sent, credentials included. */
  request: AuthRequest;
  /** The 401 response's status and headers. */
  response: UnauthorizedResponse;
}

/**
 * How credentials go on a request: returns the headers to add. Adapters such as
 * `createAuthFetch` call it per request, on a copy of the request.
 *
 * @example
 * ```ts
 * import type { AuthStrategy } from '@auth/core';
 *
 * const tenantHeader: AuthStrategy = {
 *   authenticate: () => ({ 'X-Tenant': 'acme' }),
 * };
 * ```
 */
export interface AuthStrategy {
  /**
   * `true` when the strategy signs the body: adapters then pass the exact bytes that are
   * sent in {@link AuthRequest.body}, and refuse a body they cannot buffer (a one-shot
   * stream) rather than sign something other than what goes out.
   */
  readonly signsBody?: boolean;
  /**
   * The headers that carry the credentials for `req`.
   *
   * @param req - The request about to be sent.
   * @returns Header names and values to set on (a copy of) the request.
   */
  authenticate(req: AuthRequest): Promise<Record<string, string>> | Record<string, string>;
  /**
   * Called when the server answered 401; renews credentials if it can.
   *
   * @param state - The request as it was sent (`request`) and the 401's status and headers
   *   (`response`). The `@auth/fetch` adapters pass the very object they gave
   *   {@link AuthStrategy.authenticate} for that attempt (its headers now those that were
   *   sent), so a strategy may key what it sent by it (`tokenAuth` keeps the `TokenSet` in a
   *   `WeakMap`); an adapter of your own should do the same.
   * @returns `true` when the request should be retried with fresh credentials.
   */
  onUnauthorized?(state: UnauthorizedState): Promise<boolean>;
}
