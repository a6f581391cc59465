import { AuthenticationError } from '@auth/core';

/** Header name (lower case) → whether this runtime's `Request` keeps it. Names are few: a strategy's. */
const kept = new Map<string, boolean>();

/**
 * Whether this runtime's `fetch` would drop the header `name` without a word: a browser's
 * forbidden request headers (`Date`, `Host`, `Cookie`, `Sec-*`, …). Each name is tried once
 * on a `Request`, which applies the same rules as `fetch`; Node, Bun, Deno and workerd keep
 * them all.
 *
 * @param name - A header name a strategy set.
 */
export function headerDropped(name: string): boolean {
  const key = name.toLowerCase();
  let survives = kept.get(key);
  if (survives === undefined) {
    // Without a global Request (a fetch brought by the caller, an old runtime) nothing
    // filters headers: they are all kept.
    survives =
      typeof Request === 'undefined' ||
      new Request('http://localhost/', { headers: [[name, 'x']] }).headers.has(name);
    kept.set(key, survives);
  }
  return !survives;
}

/**
 * The refusal of a request whose strategy set a header the runtime drops.
 *
 * @param name - The header (its name only: the value may be a secret).
 * @param origin - The request's origin, the `serviceName`.
 */
export function droppedHeaderError(name: string, origin: string): AuthenticationError {
  return new AuthenticationError(
    `the strategy sets the "${name}" header, which this runtime's fetch drops without an error (a forbidden request header in browsers), so the server would never see it; nothing was sent to ${origin}. Send it under another name the server reads (signedKeyAuth: dateHeader: 'X-Date')`,
    { serviceName: origin },
  );
}

// RFC 9110 §9.2.2: sending one of these twice has the effect of sending it once.
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/**
 * Why an opaque redirect (a browser's answer to `redirect: 'manual'`, which hides the status
 * and `Location`) cannot be left to the browser to follow, or `undefined` when it can: the
 * request is sent again with `redirect: 'follow'`. Browsers drop `Authorization` on a hop to
 * another origin, so a request whose only credential is `Authorization` cannot leak it;
 * any other credential header would be carried to wherever the redirect leads.
 *
 * @param request - The hop: its origin, method, whether its body can be sent again, and
 *   the names of the credential headers the strategy set on it.
 * @returns The error to reject with, or `undefined` to let the browser follow.
 */
export function opaqueRedirectRefusal(request: {
  origin: string;
  method: string;
  replayable: boolean;
  credentialNames: readonly string[];
}): Error | undefined {
  const { origin, method } = request;
  const custom = request.credentialNames.filter((name) => name.toLowerCase() !== 'authorization');
  if (custom.length > 0) {
    const names = custom.map((name) => `"${name}"`).join(', ');
    return new AuthenticationError(
      `${origin} answered with a redirect that this runtime hides from the adapter (an opaque redirect, as browsers return for redirect: 'manual'), so it cannot check where it leads; it is not followed, because the browser would carry ${names} to any origin on the way (browsers drop only Authorization on a hop to another origin). Request the URL the redirect leads to directly, or handle it yourself with redirect: 'manual'`,
      { serviceName: origin },
    );
  }
  if (!IDEMPOTENT_METHODS.has(method.toUpperCase())) {
    return new TypeError(
      `${origin} answered a ${method.toUpperCase()} with a redirect that this runtime hides (an opaque redirect, as browsers return for redirect: 'manual'); following it would send the ${method.toUpperCase()} a second time, so it is not followed. Request the URL the redirect leads to directly, or handle it yourself with redirect: 'manual'`,
    );
  }
  if (!request.replayable)
    return new TypeError('cannot follow a redirect with a streamed request body');
  return undefined;
}
