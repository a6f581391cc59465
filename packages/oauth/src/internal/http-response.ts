import { OAuthError, TokenEndpointError, TokenSet } from '@auth/core';

/** A response read in full: what the error mapping and parsers need. */
export interface ReadResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** Reads status, headers and body text (inside the caller's deadline). */
export async function readResponse(response: Response): Promise<ReadResponse> {
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/**
 * Parses the JSON body of a successful response, or maps a failed one to the error a
 * caller can act on:
 * - an RFC 6749 §5.2 body (`error`, `error_description`, `error_uri`) → {@link OAuthError};
 * - any other failure (5xx, 429, 401 without a body, an HTML error page, a 200 that is not
 *   JSON) → {@link TokenEndpointError}, retryable for 5xx, 408 and 429;
 * - `Retry-After` (seconds or an HTTP date) → `retryAfterMs` on either.
 *
 * @param what - Names the endpoint in messages.
 * @param read - The response.
 * @param now - The clock, for an HTTP-date `Retry-After`.
 * @returns The parsed JSON body of a 2xx response.
 */
export function jsonOrThrow(what: string, read: ReadResponse, now: () => number): unknown {
  const retryAfterMs = parseRetryAfter(read.headers.get('retry-after'), now);
  const body = tryParseJson(read.text);
  const ok = read.status >= 200 && read.status < 300;
  if (!ok && isOAuthErrorBody(body)) {
    throw new OAuthError({
      error: body.error,
      errorDescription:
        typeof body.error_description === 'string' ? body.error_description : undefined,
      errorUri: typeof body.error_uri === 'string' ? body.error_uri : undefined,
      status: read.status,
      retryAfterMs,
    });
  }
  if (!ok) {
    const retryable = read.status >= 500 || read.status === 429 || read.status === 408;
    throw new TokenEndpointError(`${what} answered HTTP ${read.status}`, {
      status: read.status,
      retryable,
      retryAfterMs,
    });
  }
  if (body === undefined) {
    throw new TokenEndpointError(
      `${what} answered HTTP ${read.status} with a body that is not JSON`,
      {
        status: read.status,
        retryable: false,
      },
    );
  }
  return body;
}

/**
 * Maps a token endpoint response to a {@link TokenSet} (RFC 6749 §5.1) or the right error.
 *
 * @throws {OAuthError} An RFC 6749 §5.2 error body.
 * @throws {TokenEndpointError} Any other failure (see {@link jsonOrThrow}).
 * @throws {TokenResponseError} A 2xx JSON body without a usable `access_token`.
 */
export function tokenSetOrThrow(what: string, read: ReadResponse, now: () => number): TokenSet {
  return TokenSet.fromResponse(jsonOrThrow(what, read, now), { now });
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isOAuthErrorBody(body: unknown): body is Record<string, unknown> & { error: string } {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { error?: unknown }).error === 'string' &&
    (body as { error: string }).error !== ''
  );
}

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: () => number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now());
}
