import { TokenStoreError, type WaitForUpdateOptions } from '@auth/core';
import { type Backoff, backoffMs } from '@auth/core/internal';
import type { Cluster, Redis } from 'ioredis';
import { BoundedClient } from './bounded-client.js';

/** The rests of pub/sub after failed subscriptions in a row: 1 s, doubling up to 60 s. */
const RESTS: Backoff = { firstMs: 1_000, maxMs: 60_000 };

/**
 * Wake-ups over Redis pub/sub for one store: waiters of a channel are resolved when a
 * message arrives on it. Subscribes through one connection of its own, created lazily
 * with `redis.duplicate()` (a subscribed connection cannot run other commands), and keeps
 * each channel subscribed once used; ioredis re-subscribes after a reconnect.
 *
 * When a subscription fails (Redis down, or a proxy without pub/sub such as twemproxy, which
 * closes the connection on `SUBSCRIBE`), the subscriber connection is dropped, so ioredis does
 * not reconnect and resend `SUBSCRIBE` in a loop, and pub/sub rests for 1 s, doubling to 60 s:
 * meanwhile waits just last their `timeoutMs` (the caller polls), and the next wait after the
 * rest tries pub/sub again. The failed wait itself rejects, so the fault is reported once.
 */
export class UpdateChannel {
  readonly #redis: Redis | Cluster;
  readonly #operationTimeoutMs: number;
  readonly #waiters = new Map<string, Set<() => void>>();
  readonly #subscriptions = new Map<string, Promise<unknown>>();
  #subscriber: BoundedClient | undefined;
  #closed = false;
  /** When pub/sub may be tried again after a failed subscription (epoch ms). */
  #restingUntil = 0;
  /** Rests since the last subscription that succeeded: the next one is longer. */
  #rests = 0;
  /** SUBSCRIBEs sent on the current subscriber and not yet answered. */
  #pending = 0;

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
      // Resting after a failed subscription: this wait is a plain delay (the caller polls).
      if (Date.now() < this.#restingUntil) return;
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
      const subscriber = this.#connect();
      this.#pending += 1;
      subscription = subscriber.call('wait', (client) => client.subscribe(channel));
      subscription.then(
        () => {
          if (this.#subscriber === subscriber) this.#pending -= 1;
          this.#rests = 0;
        },
        () => {
          if (this.#subscriber === subscriber) this.#pending -= 1;
          if (this.#subscriptions.get(channel) === subscription)
            this.#subscriptions.delete(channel);
          this.#rest(subscriber);
        },
      );
      this.#subscriptions.set(channel, subscription);
    }
    return subscription;
  }

  /** Drops a subscriber whose subscription failed and rests pub/sub (see the class). */
  #rest(subscriber: BoundedClient): void {
    if (this.#subscriber !== subscriber) return;
    this.#subscriber = undefined;
    this.#pending = 0;
    this.#subscriptions.clear();
    subscriber.client.disconnect();
    this.#restingUntil = Date.now() + backoffMs(++this.#rests, RESTS);
  }

  #connect(): BoundedClient {
    if (this.#subscriber) return this.#subscriber;
    const subscriber = this.#redis.duplicate();
    // Failures surface through the bounded calls; an unhandled 'error' event would only
    // print ioredis's warning.
    subscriber.on('error', () => {});
    subscriber.on('message', (channel: string) => this.wakeLocal(channel));
    const bounded = new BoundedClient(subscriber, this.#operationTimeoutMs);
    // A connection closed while a SUBSCRIBE is unanswered: a proxy without pub/sub refuses
    // it that way, and ioredis would reconnect and resend it in a loop. Dropping the
    // connection fails the pending subscriptions at once ("Connection is closed").
    // (A Cluster client closes and reopens node connections while it discovers the slots, so
    // there only a failed subscription counts.)
    if (!subscriber.isCluster)
      subscriber.on('close', () => {
        if (this.#pending > 0) this.#rest(bounded);
      });
    this.#subscriber = bounded;
    return bounded;
  }
}
