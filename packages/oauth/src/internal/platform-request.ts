import { CredentialUnavailableError } from '@auth/core';
import { withDeadline } from './abort.js';
import { type ReadResponse, readResponse } from './http-response.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from './options.js';
import { SecretRedactor } from './secret-redactor.js';

/**
 * Whether a platform's metadata endpoint has answered yet. Until it has, silence means the
 * code runs off that platform (fail fast, not retried); once it has, a later timeout or
 * refused connection is an outage of a platform that is there, retried like any other.
 */
export class PlatformProbe {
  readonly #answerTimeoutMs: number;
  #answered = false;

  /** @param answerTimeoutMs - How long the first requests wait for an answer, in ms. */
  constructor(answerTimeoutMs: number) {
    this.#answerTimeoutMs = answerTimeoutMs;
  }

  /** The answer timeout of the next request: none once the platform has answered. */
  get pendingTimeoutMs(): number | undefined {
    return this.#answered ? undefined : this.#answerTimeoutMs;
  }

  /** Records that the platform answered (any HTTP response). */
  answered(): void {
    this.#answered = true;
  }
}

/** A request a platform preset sends (a metadata server, an identity endpoint, an STS). */
export interface PlatformRequest {
  /** Names the endpoint in errors, e.g. `the GCP metadata server`. */
  what: string;
  url: URL;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | URLSearchParams;
  /** The `fetch` to use. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** The deadline of the whole exchange, body included, in ms. */
  timeoutMs: number;
  /**
   * Metadata servers only: until the platform has answered once, no answer within the probe's
   * `answerTimeoutMs` (connection and response headers), or no connection at all, means the
   * platform is not there: {@link CredentialUnavailableError} naming `url` (without its query).
   */
  probe?: PlatformProbe;
  /** Secrets the request carries (header values, tokens): removed from server text. */
  secrets?: readonly (string | undefined)[];
  signal?: AbortSignal;
}

/**
 * Sends a preset's request under its deadline and reads the response (at most 1 MiB), with
 * a redactor of the secrets it carried for the error mapping (`jsonOrThrow`,
 * `tokenSetOrThrow`). Never follows redirects: a credential is not sent on to another host.
 *
 * @param request - See {@link PlatformRequest}.
 * @returns The response, read.
 * @throws {CredentialUnavailableError} With `answerTimeoutMs`: no answer in time, or none at all.
 * @throws {TokenEndpointError} A timeout of the whole exchange or a network failure (retryable).
 */
export function platformRequest(request: PlatformRequest): Promise<ReadResponse> {
  const redactor = new SecretRedactor(request.secrets);
  const source = `${request.url.origin}${request.url.pathname}`;
  const answerTimeoutMs = request.probe?.pendingTimeoutMs;
  return withDeadline(request.what, request.timeoutMs, request.signal, async (deadline) => {
    const answer = new AbortController();
    const timer =
      answerTimeoutMs === undefined ? undefined : setTimeout(() => answer.abort(), answerTimeoutMs);
    let response: Response;
    try {
      response = await (request.fetch ?? fetch)(request.url, {
        method: request.method ?? 'GET',
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
        signal: AbortSignal.any([deadline, answer.signal]),
      });
    } catch (error) {
      if (answerTimeoutMs === undefined || deadline.aborted) throw error;
      const why = answer.signal.aborted
        ? `did not answer within ${answerTimeoutMs} ms`
        : 'could not be reached';
      throw new CredentialUnavailableError(`${request.what} ${why} (${source})`, {
        source,
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
    request.probe?.answered();
    return { ...(await readResponse(response, DEFAULT_MAX_RESPONSE_BYTES)), redactor };
  });
}
