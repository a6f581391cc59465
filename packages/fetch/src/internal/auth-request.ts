import type { AuthRequest } from '@auth/core';

/** Header names and values, in whichever form the adapter holds them. */
export type HeaderSource = Headers | Record<string, string> | readonly string[];

/**
 * The {@link AuthRequest} a strategy sees: one object per attempt, given to `authenticate`
 * and, after a 401, to `onUnauthorized` (so a strategy can key what it sent by it). Its `url`
 * and `headers` are built only when a strategy reads them, so the common case (a bearer
 * token that ignores the request) parses no URL and builds no `Headers` per request.
 */
export class LazyAuthRequest implements AuthRequest {
  readonly method: string;
  readonly body: Uint8Array | undefined;
  readonly signal: AbortSignal | undefined;
  #source: HeaderSource | undefined;
  #url: URL | string;
  #headers: Headers | undefined;

  /**
   * @param method - The method, upper case.
   * @param url - The URL, or its `href` (parsed when a strategy first reads `url`).
   * @param source - The headers as the adapter holds them.
   * @param body - The exact body bytes, when buffered.
   * @param signal - The caller's abort signal.
   */
  constructor(
    method: string,
    url: URL | string,
    source: HeaderSource | undefined,
    body?: Uint8Array,
    signal?: AbortSignal,
  ) {
    this.method = method;
    this.#url = url;
    this.#source = source;
    this.body = body;
    this.signal = signal;
  }

  /** From now on its headers are `sent`: the caller's with the strategy's credentials. */
  sentWith(sent: HeaderSource): void {
    this.#source = sent;
    this.#headers = undefined;
  }

  /** The request URL. */
  get url(): URL {
    if (typeof this.#url === 'string') this.#url = new URL(this.#url);
    return this.#url;
  }

  /** A copy of the request's headers (once sent, with the credentials); changing it changes nothing that is sent. */
  get headers(): Headers {
    if (this.#headers === undefined) this.#headers = toHeaders(this.#source);
    return this.#headers;
  }
}

function toHeaders(source: HeaderSource | undefined): Headers {
  if (source === undefined) return new Headers();
  if (!Array.isArray(source)) return new Headers(source as Headers | Record<string, string>);
  const headers = new Headers();
  for (let i = 0; i + 1 < source.length; i += 2) headers.append(source[i]!, source[i + 1]!);
  return headers;
}
