import { inspect } from 'node:util';
import type { TokenManagerEvent } from '@auth/core';

/** Everything a secret could leak through, as one string. */
export function leakSurface(...values: unknown[]): string {
  return values
    .map((value) => {
      const parts = [inspect(value, { depth: 8, showHidden: true }), String(value)];
      try {
        parts.push(JSON.stringify(value) ?? '');
      } catch {
        // circular: inspect covers it
      }
      if (value instanceof Error) parts.push(value.message, inspect(value.cause, { depth: 8 }));
      return parts.join('\n');
    })
    .join('\n');
}

/** Collects manager events. */
export function eventLog(): {
  events: TokenManagerEvent[];
  onEvent: (event: TokenManagerEvent) => void;
} {
  const events: TokenManagerEvent[] = [];
  return { events, onEvent: (event) => events.push(event) };
}

/** Runs `fn` and returns what it threw. */
export async function caught(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** A clock tests move by hand. */
export function manualClock(start = Date.now()): {
  now: () => number;
  advance: (ms: number) => void;
} {
  let at = start;
  return {
    now: () => at,
    advance: (ms) => {
      at += ms;
    },
  };
}
