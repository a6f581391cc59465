import { TokenStoreError, type TokenStoreErrorFields } from '@auth/core';
import type { Cluster, Redis } from 'ioredis';

type Operation = NonNullable<TokenStoreErrorFields['operation']>;

/**
 * An ioredis client whose every call is bounded by `timeoutMs`. ioredis queues commands
 * while it is disconnected and sends them once it reconnects, so without care a store call
 * would hang for as long as Redis is down, and a write the store had given up on would land
 * minutes later over a newer token. So a command is only handed to a connected client: a
 * client that is reconnecting fails the call at once, one that is connecting (or has not
 * started: `lazyConnect`, which this starts) is given until the same bound to emit `ready`,
 * and the call fails without sending anything if it does not. Every failure becomes a
 * {@link TokenStoreError} naming the operation, whose `cause` keeps the message but not the
 * command arguments ioredis attaches (they may hold a token).
 */
export class BoundedClient {
  readonly client: Redis | Cluster;
  readonly timeoutMs: number;
  /** One shared wait for `ready`, so concurrent calls add one listener, not one each. */
  #whenReady: Promise<void> | undefined;

  constructor(client: Redis | Cluster, timeoutMs: number) {
    this.client = client;
    this.timeoutMs = timeoutMs;
  }

  /**
   * Runs `command` against the client within the bound.
   *
   * @param onLate - Receives the result of a command that answers after the caller gave up
   *   (e.g. to free a lock taken too late to be used).
   * @throws {TokenStoreError} Not connected, no answer in time, or Redis failed.
   */
  async call<T>(
    operation: Operation,
    command: (client: Redis | Cluster) => Promise<T>,
    onLate?: (value: T) => void,
  ): Promise<T> {
    const deadline = Date.now() + this.timeoutMs;
    await this.#connected(operation);
    let gaveUp = false;
    const pending = command(this.client);
    pending.then(
      (value) => {
        if (gaveUp) onLate?.(value);
      },
      () => {},
    );
    try {
      return await withDeadline(pending, deadline, () => {
        gaveUp = true;
        return new TokenStoreError(
          `Redis ${operation} failed: no answer within ${this.timeoutMs} ms`,
          { operation },
        );
      });
    } catch (error) {
      throw toStoreError(operation, error);
    }
  }

  async #connected(operation: Operation): Promise<void> {
    const { client } = this;
    if (client.status === 'ready') return;
    if (client.status === 'end' || client.status === 'reconnecting') {
      throw new TokenStoreError(`Redis ${operation} failed: not connected (${client.status})`, {
        operation,
      });
    }
    if (client.status === 'wait') client.connect().catch(() => {});
    this.#whenReady ??= new Promise<void>((resolve) => {
      client.once('ready', () => {
        this.#whenReady = undefined;
        resolve();
      });
    });
    await withDeadline(
      this.#whenReady,
      Date.now() + this.timeoutMs,
      () =>
        new TokenStoreError(
          `Redis ${operation} failed: not connected (${client.status}) within ${this.timeoutMs} ms`,
          { operation },
        ),
    );
  }
}

/** `promise`, or a rejection with `timeoutError()` at `deadline` (epoch ms), whichever is first. */
function withDeadline<T>(
  promise: Promise<T>,
  deadline: number,
  timeoutError: () => Error,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError()), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
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
