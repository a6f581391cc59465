import { TokenStoreError, type WaitForUpdateOptions } from '@auth/core';
import type { Cluster, Redis } from 'ioredis';
import { BoundedClient } from './bounded-client.js';

/**
 * Wake-ups over Redis pub/sub for one store: waiters of a channel are resolved when a
 * message arrives on it. Subscribes through one connection of its own, created lazily
 * with `redis.duplicate()` (a subscribed connection cannot run other commands), and keeps
 * each channel subscribed once used; ioredis re-subscribes after a reconnect.
 */
export class UpdateChannel {
  readonly #redis: Redis | Cluster;
  readonly #operationTimeoutMs: number;
  readonly #waiters = new Map<string, Set<() => void>>();
  readonly #subscriptions = new Map<string, Promise<unknown>>();
  #subscriber: BoundedClient | undefined;
  #closed = false;

  constructor(redis: Redis | Cluster, operationTimeoutMs: number) {
    this.#redis = redis;
    this.#operationTimeoutMs = operationTimeoutMs;
  }

  /**
   * Resolves on the next message on `channel`, after `timeoutMs`, or when `signal` aborts.
   *
   * @throws {TokenStoreError} The subscription failed (Redis down) or the store was closed;
   *   callers fall back to polling.
   */
  wait(channel: string, { timeoutMs, signal }: WaitForUpdateOptions): Promise<void> {
    if (this.#closed) {
      return Promise.reject(
        new TokenStoreError('the RedisTokenStore was closed: no more wake-ups', {
          operation: 'wait',
        }),
      );
    }
    return new Promise((resolve, reject) => {
      const waiters = this.#waiters.get(channel) ?? new Set<() => void>();
      this.#waiters.set(channel, waiters);
      const finish = (error?: TokenStoreError) => {
        if (!waiters.delete(wake)) return;
        clearTimeout(timer);
        signal?.removeEventListener('abort', wake);
        if (waiters.size === 0 && this.#waiters.get(channel) === waiters)
          this.#waiters.delete(channel);
        if (error) reject(error);
        else resolve();
      };
      const wake = () => finish();
      waiters.add(wake);
      const timer = setTimeout(wake, timeoutMs);
      signal?.addEventListener('abort', wake, { once: true });
      if (signal?.aborted) return wake();
      this.#subscribe(channel).catch((error: TokenStoreError) => finish(error));
    });
  }

  /** Wakes this process's waiters of `channel` without a round trip through Redis. */
  wakeLocal(channel: string): void {
    for (const wake of [...(this.#waiters.get(channel) ?? [])]) wake();
  }

  /** Wakes every waiter and quits the subscriber connection (never the user's client). */
  async close(): Promise<void> {
    this.#closed = true;
    for (const channel of [...this.#waiters.keys()]) this.wakeLocal(channel);
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    this.#subscriptions.clear();
    if (!subscriber) return;
    try {
      await subscriber.call('wait', (client) => client.quit());
    } catch {
      // Not connected: nothing to quit politely.
    }
    subscriber.client.disconnect();
  }

  #subscribe(channel: string): Promise<unknown> {
    let subscription = this.#subscriptions.get(channel);
    if (!subscription) {
      subscription = this.#connect().call('wait', (client) => client.subscribe(channel));
      subscription.catch(() => {
        if (this.#subscriptions.get(channel) === subscription) this.#subscriptions.delete(channel);
      });
      this.#subscriptions.set(channel, subscription);
    }
    return subscription;
  }

  #connect(): BoundedClient {
    if (this.#subscriber) return this.#subscriber;
    const subscriber = this.#redis.duplicate();
    // Failures surface through the bounded calls; an unhandled 'error' event would only
    // print ioredis's warning.
    subscriber.on('error', () => {});
    subscriber.on('message', (channel: string) => this.wakeLocal(channel));
    this.#subscriber = new BoundedClient(subscriber, this.#operationTimeoutMs);
    return this.#subscriber;
  }
}
