import type { Dispatcher } from 'undici';
import type { AuthScopeOptions } from './auth-options.js';
import { AuthDispatchHandler } from './internal/auth-dispatch-handler.js';
import { AuthPolicy } from './internal/auth-policy.js';
import { dispatchUrl } from './internal/dispatch-url.js';
import { followsRedirects, RedirectFollower } from './internal/redirect-follower.js';

/**
 * Options of {@link authInterceptor}: as `createAuthFetch`'s, with `origins` required.
 *
 * @example
 * ```ts
 * import { basicAuth } from '@auth/core';
 * import { type AuthInterceptorOptions, authInterceptor } from '@auth/fetch/undici';
 *
 * const options: AuthInterceptorOptions = {
 *   auth: basicAuth('ci-bot', process.env.CI_PASSWORD!),
 *   origins: ['https://registry.example.com'],
 * };
 * const interceptor = authInterceptor(options);
 * ```
 */
export interface AuthInterceptorOptions extends AuthScopeOptions {
  /** The origins that receive credentials; every other origin is dispatched untouched. */
  origins: readonly (string | URL)[];
}

/**
 * An undici interceptor (for `Dispatcher#compose`) that puts credentials from `auth` on
 * every request to an allowed origin, with `createAuthFetch`'s scoping, exclusion and 401
 * behaviour, for `undici.request`, undici's `fetch` and Node's global `fetch` alike.
 *
 * It follows undici's own `lib/interceptor/dns.js`: options are checked when the
 * interceptor is made; per request it gets the credentials, then dispatches a copy of the
 * options with them added (headers in any undici shape, normalised); failures go to the
 * handler's `onResponseError`. A 401 is held back while `auth.onUnauthorized` renews the
 * credentials, then the request is dispatched again (bodies that are strings or bytes) or
 * the 401 is handed on unchanged (streamed bodies, policy says no).
 *
 * Redirects: every hop is decided afresh, whatever the order of composition. `fetch` follows
 * them with one dispatch per hop. With `interceptors.redirect()` composed after this
 * interceptor (`compose(authInterceptor(…), interceptors.redirect(…))`) every hop passes
 * through it. Composed the other way round, undici's redirect handler would resend the first
 * hop's headers, credentials included, to every hop: the interceptor notices it at the first
 * request (before anything is sent), tells the redirect interceptor to stand aside
 * (`maxRedirections: 0`) and follows redirects itself with undici's rules, up to the request's
 * `maxRedirections` or else 20 (the inner interceptor's own limit cannot be read). Only if
 * that first request has a streamed body, which cannot be sent again, does it fail, with a
 * `TypeError` saying to swap the order.
 *
 * @param options - See {@link AuthInterceptorOptions}.
 * @returns The interceptor.
 * @throws {TypeError} Missing or malformed `origins`, a plain-`http:` non-loopback origin
 *   without `allowInsecureHttp`, or a bad strategy, retry policy or `exclude` pattern.
 * @example
 * ```ts
 * import { type TokenManager, tokenAuth } from '@auth/core';
 * import { authInterceptor } from '@auth/fetch/undici';
 * import { Agent } from 'undici';
 *
 * declare const manager: TokenManager;
 * const dispatcher = new Agent().compose(
 *   authInterceptor({ auth: tokenAuth(manager), origins: ['https://api.example.com'] }),
 * );
 * // Node's global fetch takes an undici 7 dispatcher:
 * const response = await fetch('https://api.example.com/orders', { dispatcher } as RequestInit);
 * ```
 */
export function authInterceptor(
  options: AuthInterceptorOptions,
): Dispatcher.DispatcherComposeInterceptor {
  const policy = new AuthPolicy(options);
  return (dispatch) => {
    // Whether undici's redirect interceptor sits inside this one, learnt at the first request
    // it wraps. From then on it is told to stand aside (`maxRedirections: 0`) and redirects
    // are followed here, each hop passing through `dispatchHop`.
    let redirectsInside = false;
    const followHere = (opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) => {
      redirectsInside = true;
      return authInterceptorDispatch(opts, handler);
    };
    const dispatchHop: Dispatcher.Dispatch = (opts, handler) => {
      const inward = redirectsInside ? ({ ...opts, maxRedirections: 0 } as typeof opts) : opts;
      const url = dispatchUrl(opts);
      if (url === undefined || !policy.covers(url.origin, url.pathname)) {
        return dispatch(inward, handler);
      }
      const onRedirectsInside = redirectsInside ? undefined : followHere;
      new AuthDispatchHandler(policy, dispatch, inward, handler, url, onRedirectsInside).send();
      return true;
    };
    function authInterceptorDispatch(
      opts: Dispatcher.DispatchOptions,
      handler: Dispatcher.DispatchHandler,
    ): boolean {
      if (redirectsInside && followsRedirects(opts)) {
        return new RedirectFollower(dispatchHop, opts, handler).send();
      }
      return dispatchHop(opts, handler);
    }
    return authInterceptorDispatch;
  };
}
