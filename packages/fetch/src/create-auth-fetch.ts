import type { AuthScopeOptions } from './auth-options.js';
import { AuthPolicy, unsignableBodyError } from './internal/auth-policy.js';
import { LazyAuthRequest } from './internal/auth-request.js';
import { opaqueRedirectRefusal } from './internal/browser-limits.js';
import {
  callerHeaders,
  type FetchHeaders,
  isRedirectStatus,
  type OutgoingRequest,
  outgoingRequest,
  redirectHop,
} from './internal/outgoing-request.js';
import { RequestTargets } from './internal/request-targets.js';
import { discardBody } from './internal/response-body.js';
import { type SentRequest, withCredentials } from './internal/sent-request.js';
import { UnauthorizedRetry } from './internal/unauthorized-retry.js';

/**
 * A function with `fetch`'s signature.
 *
 * @example
 * ```ts
 * import type { FetchFunction } from '@auth/fetch';
 *
 * const logged: FetchFunction = (input, init) => {
 *   console.log(init?.method ?? 'GET', String(input instanceof Request ? input.url : input));
 *   return fetch(input, init);
 * };
 * ```
 */
export type FetchFunction = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/**
 * Options of {@link createAuthFetch}.
 *
 * @example
 * ```ts
 * import { apiKeyAuth } from '@auth/core';
 * import { type AuthFetchOptions, createAuthFetch } from '@auth/fetch';
 *
 * const options: AuthFetchOptions = {
 *   auth: apiKeyAuth(process.env.API_KEY!),
 *   baseUrl: 'https://api.example.com/',
 *   fetch: globalThis.fetch,
 * };
 * const api = createAuthFetch(options);
 * ```
 */
export interface AuthFetchOptions extends AuthScopeOptions {
  /**
   * The `fetch` to wrap. Default: `globalThis.fetch`, looked up at each call. Any
   * fetch-compatible implementation works: undici's `fetch`, node-fetch 2 and 3, cross-fetch
   * (response bodies may be WHATWG or Node streams).
   */
  fetch?: FetchFunction;
  /**
   * Resolves relative inputs, as `new URL(input, baseUrl)` does (so `'users'` against
   * `https://api.example.com/v1/` is `/v1/users`, and `'/users'` is `/users`). Its origin
   * is the default of `origins`.
   */
  baseUrl?: string | URL;
}

/**
 * Wraps `fetch` so every request to an allowed origin carries credentials from `auth`.
 *
 * - Credentials go only to `origins` (default: `baseUrl`'s origin); any other request is
 *   passed through untouched. Redirects are followed hop by hop (`redirect: 'manual'`
 *   underneath), deciding afresh at each hop, so a redirect to another origin never
 *   carries them. The caller's `redirect` mode (`follow`, `manual`, `error`) and fetch's
 *   method rewriting (303; 301/302 after POST) and limit (20) hold.
 * - Headers the caller sets win: an explicit `Authorization` is sent as given (and a 401
 *   for it is returned, not retried).
 * - On 401, `auth.onUnauthorized` renews the credentials and the request is sent again
 *   under `retry` (default `authRetry.once()`). Replayable bodies (string, bytes,
 *   `URLSearchParams`, `Blob`, `FormData`, a `Request`'s body) are buffered and resent
 *   intact; a `ReadableStream` body streams and its 401 is returned.
 * - A strategy that signs the body (`auth.signsBody`, e.g. `signedKeyAuth`) is given the
 *   exact bytes that are sent, at every attempt and hop; a `ReadableStream` body is refused
 *   for it (rejects with `AuthenticationError`, nothing sent) rather than signing other
 *   bytes than those that go out.
 * - Every other status is returned untouched, as `fetch` does.
 *
 * Runs on any runtime with `fetch`. In browsers:
 * - a strategy header that the browser would drop (a forbidden request header such as
 *   `Date`) rejects with `AuthenticationError` naming it, nothing sent;
 * - manual redirects are opaque (the adapter cannot see where they lead), so the request is
 *   sent again for the browser to follow when its only credential header is `Authorization`
 *   (which browsers drop on a hop to another origin) and its method is idempotent; with
 *   another credential header (`X-API-Key`) it rejects with `AuthenticationError`, and a
 *   `POST` or `PATCH` rejects with `TypeError` rather than be sent twice.
 *
 * @param options - See {@link AuthFetchOptions}.
 * @returns A function with `fetch`'s signature.
 * @throws {TypeError} At construction: no `origins` and no `baseUrl`, a malformed or
 *   plain-`http:` non-loopback origin (without `allowInsecureHttp`), a bad strategy,
 *   retry policy or `exclude` pattern.
 * @throws {AuthenticationError} (rejection) No credentials could be obtained; `cause`
 *   holds why, `serviceName` the service (a manager's name, else the request's origin).
 *   Also a `ReadableStream` body with a strategy that signs the body, a strategy header the
 *   runtime drops, and (browsers) an opaque redirect of a request with a credential header
 *   other than `Authorization`.
 * @throws {TypeError} (rejection) As `fetch` does; also (browsers) an opaque redirect of a
 *   request that is not idempotent.
 * @example
 * ```ts
 * import { TokenManager, type TokenProvider, tokenAuth } from '@auth/core';
 * import { createAuthFetch } from '@auth/fetch';
 *
 * declare const provider: TokenProvider; // e.g. clientCredentials(…) from @auth/oauth
 * const api = createAuthFetch({
 *   auth: tokenAuth(new TokenManager({ provider })),
 *   baseUrl: 'https://api.example.com/v1/',
 *   exclude: ['/v1/health'],
 * });
 * const response = await api('orders?status=open');
 * ```
 */
export function createAuthFetch(options: AuthFetchOptions): FetchFunction {
  const baseUrl = parseBaseUrl(options?.baseUrl);
  const policy = new AuthPolicy(options, baseUrl);
  const targets = new RequestTargets(policy, baseUrl);
  const wrapped = options.fetch;
  if (wrapped !== undefined && typeof wrapped !== 'function')
    throw new TypeError('fetch must be a function');
  const send: FetchFunction = wrapped ?? ((input, init) => globalThis.fetch(input, init));

  const authFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    let hop = await outgoingRequest(input, init, targets);
    const retry = new UnauthorizedRetry(policy);
    let redirects = 0;
    for (;;) {
      const sent = hop.target.covered ? await authenticated(policy, hop) : undefined;
      const init = fetchInit(hop, sent?.headers ?? hop.headers);
      let response = await send(hop.target.href, init);
      // Where the answer came from: after the browser followed a redirect, maybe another
      // origin, whose 401 says nothing about the credentials (they never went there).
      let answeredBy = hop.target.origin;
      if (response.type === 'opaqueredirect' && hop.redirect !== 'manual') {
        response = await followOpaqueRedirect(send, hop, init, sent);
        answeredBy = originOf(response.url);
      }
      const status = response.status;
      if (
        retry.applies(status, sent) &&
        answeredBy === hop.target.origin &&
        (await retry.decide(sent!, response))
      ) {
        continue;
      }
      if (!isRedirectStatus(status) || hop.redirect === 'manual')
        return markRedirected(response, redirects);
      if (hop.redirect === 'error') {
        await discardBody(response);
        throw new TypeError(`redirect mode is "error" and ${hop.target.origin} answered ${status}`);
      }
      const next = redirectHop(hop, response, redirects, targets);
      if (next === undefined) return markRedirected(response, redirects);
      await discardBody(response);
      hop = next;
      redirects++;
    }
  };
  return authFetch;
}

/**
 * One hop with the strategy's credentials applied (see `withCredentials`); the strategy sees
 * the exact body bytes and the caller's signal.
 *
 * @throws {AuthenticationError} A one-shot stream body for a strategy that signs the body.
 */
async function authenticated(
  policy: AuthPolicy,
  hop: OutgoingRequest,
): Promise<SentRequest<FetchHeaders>> {
  const bytes = hop.body?.bytes;
  if (policy.signsBody && hop.body !== undefined && bytes === undefined) {
    throw unsignableBodyError(
      hop.target.origin,
      'the body is a one-shot stream that is read only while it is sent; pass a string, bytes, Blob, FormData, URLSearchParams or a Request instead',
    );
  }
  const method = hop.method.toUpperCase();
  const request = new LazyAuthRequest(method, hop.target.href, hop.headers, bytes, hop.signal);
  return withCredentials(policy, request, callerHeaders(hop.headers), hop.body?.replayable ?? true);
}

/**
 * The answer to a hop that came back as an opaque redirect (browsers, for `redirect:
 * 'manual'`): sent again for the browser to follow when that cannot leak a credential nor
 * repeat a side effect (see `opaqueRedirectRefusal`).
 *
 * @throws {TypeError} The caller's `redirect` is `error`, or the method or body cannot be sent twice.
 * @throws {AuthenticationError} The strategy set a header other than `Authorization`.
 */
async function followOpaqueRedirect(
  send: FetchFunction,
  hop: OutgoingRequest,
  init: RequestInit,
  sent: SentRequest<FetchHeaders> | undefined,
): Promise<Response> {
  const origin = hop.target.origin;
  if (hop.redirect === 'error')
    throw new TypeError(`redirect mode is "error" and ${origin} answered a redirect`);
  const refusal = opaqueRedirectRefusal({
    origin,
    method: hop.method,
    replayable: hop.body?.replayable ?? true,
    credentialNames: Object.keys(sent?.credentials ?? {}),
  });
  if (refusal !== undefined) throw refusal;
  return send(hop.target.href, { ...init, redirect: 'follow' });
}

/** The `RequestInit` of one hop; members left at fetch's defaults are left out (less work for fetch). */
function fetchInit(hop: OutgoingRequest, headers: HeadersInit | undefined): RequestInit {
  const init: RequestInit = { ...hop.init, redirect: 'manual' };
  if (headers !== undefined) init.headers = headers;
  if (hop.method !== 'GET') init.method = hop.method;
  if (hop.body !== undefined) init.body = hop.body.value;
  if (hop.signal !== undefined) init.signal = hop.signal;
  return init;
}

/** After followed redirects the final response says so, as `fetch`'s would. */
function markRedirected(response: Response, redirects: number): Response {
  if (redirects > 0 && !response.redirected)
    Object.defineProperty(response, 'redirected', { value: true });
  return response;
}

function parseBaseUrl(baseUrl: string | URL | undefined): URL | undefined {
  if (baseUrl === undefined) return undefined;
  try {
    return new URL(String(baseUrl));
  } catch {
    throw new TypeError('baseUrl must be an absolute URL such as https://api.example.com/');
  }
}

/** The origin of a response URL, or `''` when there is none (a response of unknown origin). */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}
