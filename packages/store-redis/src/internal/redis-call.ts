import { TokenStoreError, type TokenStoreErrorFields } from '@auth/core';
import type { Cluster, Redis } from 'ioredis';

type Operation = NonNullable<TokenStoreErrorFields['operation']>;

/** Client states in which a command would only wait in ioredis's offline queue. */
const DISCONNECTED = new Set(['reconnecting', 'close', 'end']);

/**
 * Runs one Redis call bounded by `timeoutMs`: ioredis queues commands while it is
 * disconnected, so without a bound a store call would hang for as long as Redis is down.
 * A client that is reconnecting fails at once. Every failure becomes a
 * {@link TokenStoreError} naming `operation`, whose `cause` keeps the message but not the
 * command arguments ioredis attaches (they may hold a token).
 *
 * @param onLate - Receives the result of a call that answers after the caller gave up
 *   (e.g. to free a lock taken too late to be used).
 */
export async function redisCall<T>(
  redis: Redis | Cluster,
  operation: Operation,
  timeoutMs: number,
  call: () => Promise<T>,
  onLate?: (value: T) => void,
): Promise<T> {
  if (DISCONNECTED.has(redis.status)) {
    throw new TokenStoreError(
      `Redis ${operation} failed: the client is not connected (${redis.status})`,
      {
        operation,
      },
    );
  }
  let timer: NodeJS.Timeout | undefined;
  let gaveUp = false;
  const pending = call();
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      gaveUp = true;
      reject(
        new TokenStoreError(`Redis ${operation} failed: no answer within ${timeoutMs} ms`, {
          operation,
        }),
      );
    }, timeoutMs);
  });
  pending.then(
    (value) => {
      if (gaveUp) onLate?.(value);
    },
    () => {},
  );
  try {
    return await Promise.race([pending, timeout]);
  } catch (error) {
    throw toStoreError(operation, error);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Maps any failure to a {@link TokenStoreError} for `operation`, keeping a
 * {@link TokenStoreError} as it is and stripping ioredis's `command` (its arguments) from
 * the cause.
 */
export function toStoreError(operation: Operation, error: unknown): TokenStoreError {
  if (TokenStoreError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new TokenStoreError(`Redis ${operation} failed: ${message}`, {
    operation,
    cause: withoutArguments(error),
  });
}

function withoutArguments(error: unknown): unknown {
  if (!(error instanceof Error) || !('command' in error)) return error;
  const copy = new Error(error.message);
  copy.name = error.name;
  return copy;
}
