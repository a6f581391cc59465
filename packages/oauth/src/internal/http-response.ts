import {
  AuthError,
  OAuthError,
  TokenEndpointError,
  TokenResponseError,
  type TokenResponseErrorCode,
  TokenSet,
} from '@auth/core';
import { DEFAULT_MAX_RESPONSE_BYTES } from './options.js';
import { parseRetryAfter } from './retry-after.js';
import type { SecretRedactor } from './secret-redactor.js';

/** A response read in full: what the error mapping and parsers need. */
export interface ReadResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The secrets the request carried: removed from server text before it reaches an error. */
  redactor?: SecretRedactor;
}

/**
 * Reads status, headers and body text (inside the caller's deadline), at most `maxBytes`
 * of body: a `Content-Length` over the cap is refused before reading, and a body that
 * grows past it is cancelled at the cap, so a huge or endless body never fills memory.
 *
 * @param response - The response.
 * @param maxBytes - The cap on the body, in bytes. Default 1 MiB.
 * @returns The response, read.
 * @throws {TokenResponseError} `token_response_too_large`: the body exceeds `maxBytes`.
 */
export async function readResponse(
  response: Response,
  maxBytes: number = DEFAULT_MAX_RESPONSE_BYTES,
): Promise<ReadResponse> {
  const read = { status: response.status, headers: response.headers };
  const tooLarge = () =>
    new TokenResponseError(
      `the response body exceeds maxResponseBytes (${maxBytes} bytes); it was not read further`,
      { code: 'token_response_too_large' },
    );
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!response.body) return { ...read, text: '' };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let received = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
  return { ...read, text: text + decoder.decode() };
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
    // Server text: some servers echo the credentials they were sent.
    const redact = (text: unknown) =>
      typeof text !== 'string' ? undefined : (read.redactor?.redact(text) ?? text);
    throw new OAuthError({
      error: read.redactor?.redactErrorCode(body.error) ?? body.error,
      errorDescription: redact(body.error_description),
      errorUri: redact(body.error_uri),
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
 * Whether the server refused the client's authentication, as far as a response can tell:
 * `invalid_client`, or HTTP 400, 401 or 403 without an RFC 6749 §5.2 error code (some servers
 * answer a client they cannot read with a bare status).
 *
 * @param read - The response.
 */
export function clientAuthRefused(read: ReadResponse): boolean {
  if (read.status !== 400 && read.status !== 401 && read.status !== 403) return false;
  const body = tryParseJson(read.text);
  return !isOAuthErrorBody(body) || body.error === 'invalid_client';
}

/**
 * Maps a token endpoint response to a {@link TokenSet} (RFC 6749 §5.1) or the right error.
 *
 * @throws {OAuthError} An RFC 6749 §5.2 error body.
 * @throws {TokenEndpointError} Any other failure (see {@link jsonOrThrow}).
 * @throws {TokenResponseError} A 2xx JSON body without a usable `access_token`, with a token
 *   that expired on arrival, or with a `token_type` not in Bearer, DPoP or `acceptTokenTypes`.
 */
export function tokenSetOrThrow(
  what: string,
  read: ReadResponse,
  now: () => number,
  acceptTokenTypes?: readonly string[],
): TokenSet {
  const body = jsonOrThrow(what, read, now);
  try {
    return TokenSet.fromResponse(body, { now, acceptTokenTypes });
  } catch (error) {
    throw redactedError(error, read.redactor);
  }
}

/**
 * `error` as it may be thrown on: itself when it holds no secret the request carried, else
 * an {@link AuthError} of the same `code` with the message redacted and no cause.
 */
function redactedError(error: unknown, redactor: SecretRedactor | undefined): unknown {
  if (!redactor || !AuthError.isInstance(error)) return error;
  const message = redactor.redact(error.message);
  const cause = error.cause instanceof Error ? error.cause.message : '';
  if (message === error.message && redactor.redact(cause) === cause) return error;
  const code = error.code;
  if (TokenResponseError.isInstance(error))
    return new TokenResponseError(message, { code: code as TokenResponseErrorCode });
  return new AuthError(message, code);
}

/** `text` parsed as JSON, or `undefined` when it is not JSON. */
export function tryParseJson(text: string): unknown {
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
