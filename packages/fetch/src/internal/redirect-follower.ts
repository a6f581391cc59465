import type { Dispatcher } from 'undici';
import { dispatchBody } from './dispatch-body.js';
import { flattenHeaders } from './dispatch-headers.js';
import { dispatchUrl } from './dispatch-url.js';

type IncomingHeaders = Record<string, string | string[] | undefined>;

/** How many redirects a request follows when it does not say (`fetch`'s limit). */
const DEFAULT_MAX_REDIRECTIONS = 20;
const REDIRECT_STATUSES = new Set([300, 301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

/**
 * Whether a handler's `onRequestStart` context comes from undici's redirect handler: it adds
 * the URLs followed so far as `history`. Seen by a handler the redirect handler wraps, that is
 * by an interceptor composed outside `interceptors.redirect()`.
 */
export function isRedirectContext(context: unknown): boolean {
  return Array.isArray((context as { history?: unknown } | null | undefined)?.history);
}

/** Whether a dispatch asks its redirect interceptor to follow (`maxRedirections` not 0/null). */
export function followsRedirects(opts: Dispatcher.DispatchOptions): boolean {
  const { maxRedirections } = opts as { maxRedirections?: number | null };
  return maxRedirections === undefined || (maxRedirections !== null && maxRedirections > 0);
}

/**
 * Follows redirects for `authInterceptor` when undici's redirect interceptor sits inside it and
 * would resend the first hop's headers (the credentials among them) to every hop. It keeps
 * undici's own rules (lib/handler/redirect-handler.js): 300/301/302/303/307/308 with a
 * `Location` are followed, 303 (and 301/302 after POST) become a GET without body and
 * `content-*` headers (303), `Host` is dropped, and the caller's `Authorization`, `Cookie` and
 * `Proxy-Authorization` are dropped on a hop to another origin. Each hop is dispatched through
 * `dispatchHop`, so the interceptor decides afresh whether it gets credentials. A body that
 * cannot be sent again (a stream) is not followed on 307/308: the redirect is handed on.
 */
export class RedirectFollower implements Dispatcher.DispatchHandler {
  readonly #dispatchHop: Dispatcher.Dispatch;
  readonly #handler: Dispatcher.DispatchHandler;
  readonly #maxRedirections: number;
  readonly #history: URL[] = [];
  #opts: Dispatcher.DispatchOptions;
  #following = false;

  /**
   * @param dispatchHop - Dispatches one hop (through the interceptor, not following redirects).
   * @param opts - The request; its `maxRedirections` (default 20) bounds the hops.
   * @param handler - The caller's handler, which gets the final response.
   */
  constructor(
    dispatchHop: Dispatcher.Dispatch,
    opts: Dispatcher.DispatchOptions,
    handler: Dispatcher.DispatchHandler,
  ) {
    const { maxRedirections, ...rest } = opts as Dispatcher.DispatchOptions & {
      maxRedirections?: number;
    };
    this.#dispatchHop = dispatchHop;
    this.#handler = handler;
    this.#maxRedirections = maxRedirections ?? DEFAULT_MAX_REDIRECTIONS;
    this.#opts = rest;
  }

  /** Sends the first hop. */
  send(): boolean {
    return this.#dispatchHop(this.#opts, this);
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.#handler.onRequestStart?.(controller, {
      ...(context as object),
      history: this.#history,
    });
  }

  onRequestUpgrade(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHeaders,
    socket: never,
  ): void {
    this.#handler.onRequestUpgrade?.(controller, statusCode, headers as never, socket);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHeaders,
    statusMessage?: string,
  ): void {
    const current = dispatchUrl(this.#opts);
    const next = current && this.#nextHop(current, statusCode, headers.location);
    if (current) this.#history.push(current);
    this.#following = next !== undefined;
    if (next === undefined) {
      this.#handler.onResponseStart?.(controller, statusCode, headers as never, statusMessage);
      return;
    }
    this.#opts = next;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.#following) this.#handler.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: IncomingHeaders): void {
    if (this.#following) this.#dispatchHop(this.#opts, this);
    else this.#handler.onResponseEnd?.(controller, trailers as never);
  }

  onResponseError(controller: Dispatcher.DispatchController | null, error: Error): void {
    this.#handler.onResponseError?.(controller as Dispatcher.DispatchController, error);
  }

  /** The options of the hop a redirect leads to, or `undefined` when it is not followed. */
  #nextHop(
    current: URL,
    statusCode: number,
    location: string | string[] | undefined,
  ): Dispatcher.DispatchOptions | undefined {
    if (!REDIRECT_STATUSES.has(statusCode) || typeof location !== 'string') return undefined;
    if (this.#history.length >= this.#maxRedirections) return undefined;
    const method = String(this.#opts.method).toUpperCase();
    const toGet =
      (statusCode === 303 && method !== 'HEAD') ||
      ((statusCode === 301 || statusCode === 302) && method === 'POST');
    if (!toGet && !dispatchBody(this.#opts.body).replayable) return undefined;
    let url: URL;
    try {
      url = new URL(location, current);
    } catch {
      return undefined;
    }
    const crossOrigin = url.origin !== current.origin;
    const flat = flattenHeaders(this.#opts.headers);
    const headers: string[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      const name = flat[i]!.toLowerCase();
      if (name === 'host') continue;
      if (statusCode === 303 && name.startsWith('content-')) continue;
      if (crossOrigin && CREDENTIAL_HEADERS.has(name)) continue;
      headers.push(flat[i]!, flat[i + 1]!);
    }
    return {
      ...this.#opts,
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      query: undefined,
      headers,
      ...(toGet ? { method: 'GET', body: null } : {}),
    } as Dispatcher.DispatchOptions;
  }
}
