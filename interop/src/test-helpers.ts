/*
 * What the server test files share: the token requests a server received while a step ran,
 * how a promise settled, and the errors of a `cause` chain.
 */

import { AuthError } from '@auth/core';

/**
 * Where a server harness records its token requests: the live array it appends to, or a
 * function that reads them (the Authlib process answers over HTTP).
 */
export type RequestLog<T> = readonly T[] | (() => Promise<readonly T[]>);

/**
 * The token requests a server received while `action` ran, in order.
 *
 * @param log - The server's record of its token requests.
 * @param action - The step to watch.
 * @returns The records added while it ran.
 * @throws {unknown} Whatever `action` throws.
 * @example
 * ```ts
 * const requests = await requestsDuring(server.tokenRequests, () => manager.getToken());
 * expect(requests).toHaveLength(1);
 * ```
 */
export async function requestsDuring<T>(
  log: RequestLog<T>,
  action: () => Promise<unknown>,
): Promise<T[]> {
  const read = async () => (typeof log === 'function' ? await log() : log);
  const before = (await read()).length;
  await action();
  return (await read()).slice(before);
}

/** How a promise settled: its value, or what it rejected with. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Waits for `promise` and says how it settled, so a test can first check what the server saw,
 * then why the step failed.
 *
 * @param promise - The step.
 * @returns Its value or its rejection; never rejects.
 * @example
 * ```ts
 * const result = await settle(provider.fetchToken());
 * // … check the server's records …
 * const tokens = settledValue(result);
 * ```
 */
export async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * The value of a fulfilled {@link settle}.
 *
 * @param settled - The outcome, or `undefined` when the step did not run.
 * @returns The value.
 * @throws {unknown} The rejection, as it was; an `Error` when there is no outcome.
 * @example
 * ```ts
 * const tokens = settledValue(await settle(provider.fetchToken()));
 * ```
 */
export function settledValue<T>(settled: Settled<T> | undefined): T {
  if (!settled) throw new Error('the step did not run');
  if (!settled.ok) throw settled.error;
  return settled.value;
}

/**
 * What `promise` rejects with.
 *
 * @param promise - A step that must fail.
 * @returns Its rejection.
 * @throws {Error} The promise resolved.
 * @example
 * ```ts
 * const error = await rejectionOf(manager.getToken());
 * expect(SessionExpiredError.isInstance(error)).toBe(true);
 * ```
 */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  const settled = await settle(promise);
  if (settled.ok) throw new Error('expected a rejection, but the promise resolved');
  return settled.error;
}

/**
 * The errors of a `cause` chain, outermost first: `error`, its `cause`, that one's `cause`, …
 * up to the first that is not an `Error` (included), at most ten.
 *
 * @param error - The outermost error.
 * @returns The chain.
 * @example
 * ```ts
 * expect(causeChain(error)).toContain(failure);
 * ```
 */
export function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && chain.length < 10; ) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

/**
 * The first `AuthError` with `code` in the `cause` chain of `error`.
 *
 * @param error - The outermost error.
 * @param code - The `AuthError` code looked for.
 * @returns That error, or `undefined`.
 * @example
 * ```ts
 * expect(authErrorInChain(error, 'authorization_timeout')).toBeDefined();
 * ```
 */
export function authErrorInChain(error: unknown, code: string): AuthError | undefined {
  return causeChain(error).find(
    (entry): entry is AuthError => AuthError.isInstance(entry) && String(entry.code) === code,
  );
}
