import type { AuthPolicy } from './auth-policy.js';
import type { HeaderSource } from './auth-request.js';
import { discardBody } from './response-body.js';
import type { SentRequest } from './sent-request.js';

/**
 * The 401 retries of one request, through either adapter: which answers are held for a
 * decision, and the decision (the retry policy, then the strategy's `onUnauthorized`, then
 * the policy's delay; see {@link AuthPolicy.retryAfterUnauthorized}).
 */
export class UnauthorizedRetry {
  readonly #policy: AuthPolicy;
  #retries = 0;

  constructor(policy: AuthPolicy) {
    this.#policy = policy;
  }

  /**
   * Whether an answer with `status` to `sent` may lead to a retry: a 401 for credentials the
   * strategy set (not overridden), with a body that can be sent again, within the policy's
   * `maxRetries`, for a strategy that can renew. Anything else goes to the caller as it came.
   */
  applies(status: number, sent: SentRequest<HeaderSource> | undefined): boolean {
    return status === 401 && sent?.retryable === true && this.#policy.mayRetry(this.#retries + 1);
  }

  /**
   * Decides whether to send the request again, and counts the retry when so. The 401's
   * body is let go of when the request is sent again or the decision fails; otherwise it is
   * left for the caller.
   *
   * @param sent - The attempt that was refused (its request is the one the strategy authenticated).
   * @param response - The 401, with a body that can be read.
   * @returns `true` to send the request again with fresh credentials.
   * @throws {AuthenticationError} The strategy could not renew its credentials.
   */
  async decide(sent: SentRequest<HeaderSource>, response: Response): Promise<boolean> {
    const attempt = this.#retries + 1;
    let retry: boolean;
    try {
      retry = await this.#policy.retryAfterUnauthorized(attempt, sent.request, response);
    } catch (error) {
      await discardBody(response);
      throw error;
    }
    if (retry) {
      this.#retries = attempt;
      await discardBody(response);
    }
    return retry;
  }
}
