/**
 * Waits `ms` milliseconds, or rejects with the signal's reason as soon as it aborts. The
 * auth packages share it for backoff and polling (retries, device-code polls).
 *
 * @param ms - How long to wait.
 * @param signal - Stops the wait early.
 * @returns A promise that resolves after `ms`.
 * @throws The signal's `reason` when it aborts before `ms` have passed.
 * @example
 * ```ts
 * import { abortableDelay } from '@auth/core/internal';
 *
 * await abortableDelay(5_000, AbortSignal.timeout(1_000)); // rejects with a TimeoutError after 1 s
 * ```
 */
export function abortableDelay(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
