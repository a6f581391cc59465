import type { TokenManagerEvent } from '../../token-manager-events.js';
import type { TokenSet } from '../../token-set.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event as the manager's parts raise it: the emitter adds `key` and `at`. */
export type EventInput = DistributiveOmit<TokenManagerEvent, 'key' | 'at'>;

/** Raises one event. */
export type Emit = (event: EventInput) => void;

/**
 * The manager's emitter: stamps each event with the key and the clock's time and hands it to
 * `onEvent`; a listener that throws does not break token delivery.
 */
export function eventEmitter(
  onEvent: ((event: TokenManagerEvent) => void) | undefined,
  key: string,
  now: () => number,
): Emit {
  return (event) => {
    if (!onEvent) return;
    try {
      onEvent({ ...event, key, at: now() } as TokenManagerEvent);
    } catch {
      // A failing listener must not break token delivery.
    }
  };
}

/** What an event carries as its `error`: the thrown value, as an `Error`. */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** The event of a token obtained from `source`. */
export function obtainedEvent(
  tokens: TokenSet,
  source: 'fetched' | 'refreshed' | 'store',
  background: boolean,
  durationMs: number,
): EventInput {
  const type =
    source === 'store'
      ? 'token-adopted'
      : source === 'refreshed'
        ? 'token-refreshed'
        : 'token-fetched';
  return {
    type,
    fingerprint: tokens.fingerprint,
    expiresAt: tokens.expiresAt,
    background,
    durationMs,
  };
}
