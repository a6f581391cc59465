import { type AuthRequest, type AuthStrategy, isLoopbackHost } from '@auth/core';
import type { Hooks, OptionsInit } from 'got';

/**
 * got hooks that put `auth`'s credentials on each request hop to one of `origins` (and take
 * them off a hop to any other origin), and after a 401 from one of them let the strategy
 * renew its credentials and retry once. Like `createAuthFetch`, it refuses plain `http:` origins
 * other than loopback, and strategies that sign the body (the hooks do not see it).
 */
export function authHooks(auth: AuthStrategy, origins: readonly string[]): Partial<Hooks> {
  if (auth.signsBody) throw new TypeError('authHooks cannot sign bodies: use createAuthFetch');
  const allowed = new Set(
    origins.map((origin) => {
      const url = new URL(origin);
      if (url.protocol !== 'https:' && !isLoopbackHost(url.hostname))
        throw new TypeError(`authHooks sends credentials over https only: ${url.origin}`);
      return url.origin;
    }),
  );
  const names = new Set<string>(); // the header names the strategy sets
  const headersOf = (headers: object) =>
    new Headers(Object.entries(headers).filter((entry) => typeof entry[1] === 'string'));
  const asRequest = (options: { method: string; url?: URL | string; headers: object }) => ({
    method: options.method.toUpperCase(),
    url: new URL(String(options.url)),
    headers: headersOf(options.headers),
  });
  // Per hop (got's options object): the request the strategy authenticated, which
  // onUnauthorized gets again (tokenAuth keys the token it sent by it).
  const sent = new WeakMap<object, AuthRequest>();
  return {
    // Runs before every hop, redirects included.
    beforeRequest: [
      async (options) => {
        const request: AuthRequest = asRequest(options);
        for (const name of names) delete options.headers[name];
        sent.delete(options);
        if (!allowed.has(request.url.origin)) return;
        for (const [name, value] of Object.entries(await auth.authenticate(request))) {
          names.add(name.toLowerCase());
          options.headers[name.toLowerCase()] = value;
        }
        sent.set(options, request);
      },
    ],
    afterResponse: [
      async (response, retryWithMergedOptions) => {
        const { options } = response.request;
        const request = sent.get(options);
        if (response.statusCode !== 401 || request === undefined) return response;
        if (options.context.authRetried === true || !auth.onUnauthorized) return response;
        request.headers = headersOf(options.headers); // as sent, credentials included
        const unauthorized = { status: 401, headers: headersOf(response.headers) };
        if (!(await auth.onUnauthorized({ request, response: unauthorized }))) return response;
        return retryWithMergedOptions({ context: { authRetried: true } } satisfies OptionsInit);
      },
    ],
  };
}
