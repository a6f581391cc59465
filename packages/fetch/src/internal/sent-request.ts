import type { AuthPolicy } from './auth-policy.js';
import type { HeaderSource, LazyAuthRequest } from './auth-request.js';

/** The caller's headers as one adapter holds them, and how it adds credentials to a copy. */
export interface CallerHeaders<H extends HeaderSource> {
  /** Whether the caller set `name` (any case): the caller's value is sent instead of the strategy's. */
  has(name: string): boolean;
  /** A copy of the caller's headers with `added` (names the caller did not set), as the transport takes them. */
  with(added: Record<string, string>): H;
}

/** One attempt of a request with credentials, as it is sent. */
export interface SentRequest<H extends HeaderSource> {
  /** The object the strategy authenticated, its headers now those sent: given to `onUnauthorized`. */
  readonly request: LazyAuthRequest;
  /** The headers to send: the caller's, plus the strategy's the caller did not set. */
  readonly headers: H;
  /** The strategy's headers. */
  readonly credentials: Record<string, string>;
  /** False when the body cannot be resent or the caller's headers overrode the strategy's. */
  readonly retryable: boolean;
}

/**
 * Gets the strategy's credentials for `request` and applies them to the caller's headers:
 * a header the caller set wins (it is sent as given, and a 401 for it is not retried); the
 * others are added to a copy.
 *
 * @param policy - Obtains and checks the credentials.
 * @param request - The attempt, as the strategy sees it (the caller's headers).
 * @param caller - The caller's headers in the adapter's form.
 * @param replayable - Whether the body can be sent again.
 * @returns The attempt as it is sent.
 * @throws {AuthenticationError} As {@link AuthPolicy.credentials}; the signal's reason once it aborted.
 */
export async function withCredentials<H extends HeaderSource>(
  policy: AuthPolicy,
  request: LazyAuthRequest,
  caller: CallerHeaders<H>,
  replayable: boolean,
): Promise<SentRequest<H>> {
  const credentials = await policy.credentials(request);
  let added = credentials;
  let overridden = false;
  for (const name in credentials) {
    if (!caller.has(name)) continue;
    if (!overridden) added = { ...credentials };
    overridden = true;
    delete added[name];
  }
  const headers = caller.with(added);
  request.sentWith(headers);
  return { request, headers, credentials, retryable: replayable && !overridden };
}
