import type { Dispatcher } from 'undici';

/**
 * The caller's abort signal of a dispatch, the only way an interceptor hears of an abort
 * before it hands the request on: undici's `request`, `stream` and `pipeline` pass their
 * `signal` option in the dispatch options (their handler acts on it only once the request has
 * started: `onRequestStart` gives it a controller to abort). undici's `fetch` passes none: it
 * rejects its own promise on abort and aborts the dispatch when it starts. An `EventEmitter`
 * signal (undici accepts those too) is not read here.
 *
 * @param opts - The dispatch options.
 * @returns The signal, when it is an `AbortSignal` (of any realm).
 */
export function dispatchSignal(opts: Dispatcher.DispatchOptions): AbortSignal | undefined {
  const signal = (opts as { signal?: unknown }).signal as Partial<AbortSignal> | null | undefined;
  if (typeof signal?.aborted !== 'boolean' || typeof signal.addEventListener !== 'function')
    return undefined;
  return signal as AbortSignal;
}
