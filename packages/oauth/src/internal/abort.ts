import { TokenEndpointError } from '@auth/core';
import { raceSignal } from '@auth/core/internal';

/**
 * Runs `operation` with a signal that aborts after `timeoutMs` or when `external` aborts.
 * A timeout or a network failure becomes a retryable {@link TokenEndpointError}; an abort by
 * the caller rethrows the caller's reason.
 *
 * @param what - Names the endpoint in error messages (never a secret).
 * @param timeoutMs - The deadline for the whole exchange, body included.
 * @param external - The caller's signal.
 * @param operation - The request and the reading of its body.
 * @returns What `operation` returned.
 */
export async function withDeadline<T>(
  what: string,
  timeoutMs: number,
  external: AbortSignal | undefined,
  operation: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  external?.throwIfAborted();
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const signal = external ? AbortSignal.any([external, timeout.signal]) : timeout.signal;
  try {
    // Raced, not only signalled: a step before the fetch (a client assertion read from a
    // stuck mount, say) ignores the signal, and must not hold the request past its deadline.
    return await raceSignal(operation(signal), signal);
  } catch (error) {
    if (external?.aborted) throw external.reason;
    if (timeout.signal.aborted) {
      throw new TokenEndpointError(`${what} did not answer within ${timeoutMs} ms`, {
        retryable: true,
        cause: error,
      });
    }
    if (isNetworkError(error)) {
      throw new TokenEndpointError(`${what} could not be reached: ${(error as Error).message}`, {
        retryable: true,
        cause: error,
      });
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** `fetch` rejects with a `TypeError` (often with a `cause`) on network failures. */
function isNetworkError(error: unknown): boolean {
  return error instanceof TypeError && (error.message === 'fetch failed' || 'cause' in error);
}
