/**
 * Lets one caller stop waiting for a shared promise without cancelling it for the others:
 * the shared work (a token request, a discovery fetch) runs on, and this caller's promise
 * rejects with its signal's reason when the signal aborts first.
 *
 * @param promise - The shared work.
 * @param signal - This caller's signal.
 * @returns `promise`'s outcome, unless `signal` aborts first.
 * @throws The signal's `reason` when it aborts first.
 * @example
 * ```ts
 * import { raceSignal } from '@auth/core/internal';
 *
 * declare function fetchOnceForEveryone(): Promise<string>;
 * const shared = fetchOnceForEveryone();
 * const mine = await raceSignal(shared, AbortSignal.timeout(1_000));
 * ```
 */
export function raceSignal<T>(promise: Promise<T>, signal?: AbortSignal | null): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
