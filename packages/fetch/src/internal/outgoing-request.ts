import { type PreparedBody, prepareBody, prepareRequestBody } from './request-body.js';
import type { RequestTarget, RequestTargets } from './request-targets.js';
import type { CallerHeaders } from './sent-request.js';

/** Headers as a hop is fetched with them: a copy of the caller's, or the strategy's alone. */
export type FetchHeaders = Headers | Record<string, string>;

/** A hop without caller headers: the strategy's record is sent as it is, nothing copied. */
const NO_CALLER_HEADERS: CallerHeaders<FetchHeaders> = {
  has: () => false,
  with: (added) => added,
};

/**
 * A hop's caller headers, for `withCredentials`: credentials go on a copy, never on the
 * caller's own `Headers`.
 *
 * @param headers - The hop's private copy of the caller's headers, if any.
 */
export function callerHeaders(headers: Headers | undefined): CallerHeaders<FetchHeaders> {
  if (headers === undefined) return NO_CALLER_HEADERS;
  return {
    has: (name) => headers.has(name),
    with: (added) => {
      const merged = new Headers(headers);
      for (const name in added) merged.set(name, added[name]!);
      return merged;
    },
  };
}

/** One hop of a request as `createAuthFetch` sends it; a redirect makes the next one. */
export interface OutgoingRequest {
  readonly target: RequestTarget;
  /** The method as the caller spelled it (fetch normalises the standard ones itself). */
  readonly method: string;
  /** A private copy of the caller's headers; `undefined` when the caller gave none. */
  readonly headers: Headers | undefined;
  readonly body: PreparedBody | undefined;
  readonly signal: AbortSignal | undefined;
  /** The caller's redirect mode; hops are always fetched with `redirect: 'manual'`. */
  readonly redirect: RequestRedirect;
  /** Every other `RequestInit` member of the caller (`cache`, `keepalive`, `dispatcher`, …). */
  readonly init: RequestInit;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20; // as fetch (WHATWG Fetch, "HTTP-redirect fetch" step 5)
const BODY_HEADERS = ['content-encoding', 'content-language', 'content-location', 'content-type'];
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];
// The Request members that survive being copied into a new RequestInit.
const REQUEST_MEMBERS = [
  'cache',
  'credentials',
  'integrity',
  'keepalive',
  'mode',
  'referrerPolicy',
] as const;

/**
 * Turns `fetch`'s arguments into the first hop: the URL resolved against `baseUrl`, a copy
 * of the headers (the caller's objects are never changed) and a prepared body.
 *
 * @throws {TypeError} A URL that cannot be parsed.
 */
export async function outgoingRequest(
  input: RequestInfo | URL,
  init: RequestInit | undefined,
  targets: RequestTargets,
): Promise<OutgoingRequest> {
  if (typeof input === 'object' && !(input instanceof URL)) {
    if (init === undefined) return fromRequest(input, targets, {});
    // A Request keeps only the standard members: the others (`dispatcher`, …) pass on from `init`.
    const { method, headers, body, signal, redirect, ...rest } = init;
    return fromRequest(new Request(input, init), targets, rest);
  }
  const target = targets.resolve(input);
  if (init === undefined) {
    return {
      target,
      method: 'GET',
      headers: undefined,
      body: undefined,
      signal: undefined,
      redirect: 'follow',
      init: {},
    };
  }
  const { method, headers, body, signal, redirect, ...rest } = init;
  const hop = (prepared: PreparedBody | undefined): OutgoingRequest => ({
    target,
    method: method ?? 'GET',
    headers: withContentType(headers === undefined ? undefined : new Headers(headers), prepared),
    body: prepared,
    signal: signal ?? undefined,
    redirect: redirect ?? 'follow',
    init: rest,
  });
  return hop(body === undefined || body === null ? undefined : await prepareBody(body));
}

async function fromRequest(
  request: Request,
  targets: RequestTargets,
  extra: RequestInit,
): Promise<OutgoingRequest> {
  const init: Record<string, unknown> = { ...extra };
  for (const member of REQUEST_MEMBERS) {
    if (request[member] !== undefined) init[member] = request[member];
  }
  return {
    target: targets.resolve(request.url),
    method: request.method,
    headers: new Headers(request.headers),
    body: await prepareRequestBody(request),
    signal: request.signal,
    redirect: request.redirect,
    init: init as RequestInit,
  };
}

function withContentType(headers: Headers | undefined, body: PreparedBody | undefined) {
  if (body?.contentType === undefined) return headers;
  const result = headers ?? new Headers();
  if (!result.has('content-type')) result.set('content-type', body.contentType);
  return result;
}

/** Whether `status` is one `fetch` follows. */
export function isRedirectStatus(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

/**
 * The next hop after a redirect, as `fetch` would build it (WHATWG Fetch "HTTP-redirect
 * fetch"): 303 (and 301/302 after POST) become a GET without body; a hop to another
 * origin drops the caller's `Authorization`, `Cookie` and `Proxy-Authorization`.
 *
 * @param hop - The hop that was redirected.
 * @param response - The redirect response.
 * @param count - Redirects followed so far.
 * @param targets - Decides whether the next hop gets credentials.
 * @returns The next hop, or `undefined` when the response has no `Location` (it is final).
 * @throws {TypeError} Too many redirects, a bad `Location`, or a streamed body that cannot be resent.
 */
export function redirectHop(
  hop: OutgoingRequest,
  response: Response,
  count: number,
  targets: RequestTargets,
): OutgoingRequest | undefined {
  const location = response.headers.get('location');
  if (location === null) return undefined;
  if (count >= MAX_REDIRECTS) throw new TypeError(`more than ${MAX_REDIRECTS} redirects`);
  let url: URL;
  try {
    url = new URL(location, hop.target.href);
  } catch {
    throw new TypeError('the redirect Location is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError(`cannot follow a redirect to a ${url.protocol} URL`);
  const status = response.status;
  const upper = hop.method.toUpperCase();
  const toGet =
    (status === 303 && upper !== 'GET' && upper !== 'HEAD') ||
    ((status === 301 || status === 302) && upper === 'POST');
  if (!toGet && hop.body !== undefined && !hop.body.replayable)
    throw new TypeError('cannot follow a redirect with a streamed request body');
  const drop = [
    ...(toGet ? BODY_HEADERS : []),
    ...(url.origin !== hop.target.origin ? CREDENTIAL_HEADERS : []),
  ];
  let headers = hop.headers;
  if (headers !== undefined && drop.length > 0) {
    headers = new Headers(headers);
    for (const name of drop) headers.delete(name);
  }
  return {
    ...hop,
    target: targets.ofUrl(url),
    method: toGet ? 'GET' : hop.method,
    headers,
    body: toGet ? undefined : hop.body,
  };
}
