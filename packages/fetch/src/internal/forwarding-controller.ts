import type { Dispatcher } from 'undici';

/**
 * The one controller the downstream handler sees for the whole request, while each
 * attempt (the first, a retry after 401) has its own connection controller underneath. It
 * forwards to the live attempt and remembers an abort that lands between attempts, so the
 * next attempt is not sent. Modelled on undici's `RetryController` (lib/handler/retry-handler.js).
 */
export class ForwardingController implements Dispatcher.DispatchController {
  #target: Dispatcher.DispatchController | undefined;
  #paused = false;
  #aborted = false;
  #reason: Error | null = null;

  /** Points the controller at a new attempt's controller (or at none between attempts). */
  attach(target: Dispatcher.DispatchController | undefined): void {
    this.#target = target;
    if (target === undefined) return;
    if (this.#aborted) target.abort(this.#reason ?? new Error('aborted'));
    else if (this.#paused) target.pause();
  }

  get aborted(): boolean {
    return this.#aborted || (this.#target?.aborted ?? false);
  }

  get paused(): boolean {
    return this.#paused;
  }

  get reason(): Error | null {
    return this.#reason ?? this.#target?.reason ?? null;
  }

  get rawHeaders() {
    return this.#target?.rawHeaders ?? null;
  }

  get rawTrailers() {
    return this.#target?.rawTrailers ?? null;
  }

  abort(reason: Error): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#target?.abort(reason);
  }

  pause(): void {
    this.#paused = true;
    this.#target?.pause();
  }

  resume(): void {
    this.#paused = false;
    this.#target?.resume();
  }
}
