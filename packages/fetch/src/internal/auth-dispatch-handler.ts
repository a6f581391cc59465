import type { Dispatcher } from 'undici';
import type { AuthPolicy } from './auth-policy.js';
import { LazyAuthRequest } from './auth-request.js';
import { bufferForSigning, dispatchBody } from './dispatch-body.js';
import {
  callerFlatHeaders,
  type FlatHeaders,
  flattenHeaders,
  responseHeaders,
} from './dispatch-headers.js';
import { dispatchSignal } from './dispatch-signal.js';
import { ForwardingController } from './forwarding-controller.js';
import { isRedirectContext } from './redirect-follower.js';
import { type SentRequest, withCredentials } from './sent-request.js';
import { UnauthorizedRetry } from './unauthorized-retry.js';

type IncomingHeaders = Record<string, string | string[] | undefined>;

/** Starts a request again with redirects followed by the interceptor itself. */
export type FollowRedirectsHere = (
  opts: Dispatcher.DispatchOptions,
  handler: Dispatcher.DispatchHandler,
) => boolean;

interface HeldResponse {
  statusCode: number;
  headers: IncomingHeaders;
  statusMessage: string | undefined;
  chunks: Uint8Array[];
}

/**
 * One authenticated undici request: gets the credentials, dispatches with them, and on a
 * 401 holds the response back while the strategy renews its credentials; then dispatches
 * again, or hands the held 401 on. Failures reach the handler through `onResponseError`; an
 * abort of the caller's `signal` while credentials are on their way is one, with its reason.
 */
export class AuthDispatchHandler implements Dispatcher.DispatchHandler {
  readonly #policy: AuthPolicy;
  readonly #dispatch: Dispatcher.Dispatch;
  readonly #opts: Dispatcher.DispatchOptions;
  readonly #handler: Dispatcher.DispatchHandler;
  readonly #url: URL;
  readonly #method: string;
  readonly #headers: FlatHeaders;
  readonly #signal: AbortSignal | undefined;
  /** The body's exact bytes: given as bytes, or read in full for a signing strategy. */
  #bytes: Uint8Array | undefined;
  #replayable: boolean;
  /** Whether `opts.body` was read here and the bytes are dispatched in its place. */
  #buffered = false;
  readonly #controller = new ForwardingController();
  #started = false;
  readonly #retry: UnauthorizedRetry;
  #sent: SentRequest<FlatHeaders> | undefined;
  #held: HeldResponse | undefined;
  /** Set while it is not yet known whether a redirect interceptor sits inside this one. */
  readonly #onRedirectsInside: FollowRedirectsHere | undefined;
  /** This attempt was dropped before anything was sent; its callbacks are ignored. */
  #abandoned = false;

  constructor(
    policy: AuthPolicy,
    dispatch: Dispatcher.Dispatch,
    opts: Dispatcher.DispatchOptions,
    handler: Dispatcher.DispatchHandler,
    url: URL,
    onRedirectsInside?: FollowRedirectsHere,
  ) {
    this.#onRedirectsInside = onRedirectsInside;
    this.#policy = policy;
    this.#dispatch = dispatch;
    this.#opts = opts;
    this.#handler = handler;
    this.#url = url;
    this.#method = String(opts.method).toUpperCase();
    this.#headers = flattenHeaders(opts.headers);
    this.#signal = dispatchSignal(opts);
    this.#retry = new UnauthorizedRetry(policy);
    const body = dispatchBody(opts.body);
    this.#bytes = body.bytes;
    this.#replayable = body.replayable;
  }

  /** Gets the credentials and dispatches; any failure goes to the handler. */
  send(): void {
    this.#authenticateAndDispatch().catch((error: unknown) => this.#fail(error));
  }

  async #authenticateAndDispatch(): Promise<void> {
    if (this.#policy.signsBody && !this.#replayable && !this.#buffered) {
      this.#bytes = await bufferForSigning(this.#opts.body, this.#headers, this.#url.origin);
      this.#buffered = true;
      this.#replayable = true;
    }
    const request = new LazyAuthRequest(
      this.#method,
      this.#url,
      this.#headers,
      this.#bytes,
      this.#signal,
    );
    const caller = callerFlatHeaders(this.#headers);
    this.#sent = await withCredentials(this.#policy, request, caller, this.#replayable);
    if (this.#controller.aborted)
      return this.#fail(this.#controller.reason ?? new Error('aborted'));
    const opts = { ...this.#opts, headers: this.#sent.headers };
    if (this.#buffered) opts.body = this.#bytes as Buffer;
    this.#dispatch(opts, this);
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    if (this.#abandoned) return;
    if (!this.#started && this.#onRedirectsInside !== undefined && isRedirectContext(context)) {
      this.#handOver(controller, this.#onRedirectsInside);
      return;
    }
    this.#controller.attach(controller);
    if (this.#started) return;
    this.#started = true;
    this.#handler.onRequestStart?.(this.#controller, context);
  }

  onRequestUpgrade(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHeaders,
    socket: never,
  ): void {
    this.#handler.onRequestUpgrade?.(this.#controller, statusCode, headers as never, socket);
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHeaders,
    statusMessage?: string,
  ): void {
    if (this.#retry.applies(statusCode, this.#sent)) {
      this.#held = { statusCode, headers, statusMessage, chunks: [] };
      return;
    }
    this.#handler.onResponseStart?.(this.#controller, statusCode, headers as never, statusMessage);
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#held) this.#held.chunks.push(chunk);
    else this.#handler.onResponseData?.(this.#controller, chunk);
  }

  onResponseEnd(_controller: Dispatcher.DispatchController, trailers: IncomingHeaders): void {
    const held = this.#held;
    if (held === undefined) {
      this.#handler.onResponseEnd?.(this.#controller, trailers as never);
      return;
    }
    this.#held = undefined;
    this.#controller.attach(undefined);
    this.#afterUnauthorized(held, trailers).catch((error: unknown) => this.#fail(error));
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, error: Error): void {
    if (this.#abandoned) return;
    this.#held = undefined;
    this.#handler.onResponseError?.(this.#controller, error);
  }

  async #afterUnauthorized(held: HeldResponse, trailers: IncomingHeaders): Promise<void> {
    const response = new Response(held.chunks.length > 0 ? Buffer.concat(held.chunks) : null, {
      status: held.statusCode,
      statusText: held.statusMessage ?? '',
      headers: responseHeaders(held.headers),
    });
    if (await this.#retry.decide(this.#sent!, response)) return this.#authenticateAndDispatch();
    // No retry: hand on the 401 exactly as it came.
    const handler = this.#handler;
    handler.onResponseStart?.(
      this.#controller,
      held.statusCode,
      held.headers as never,
      held.statusMessage,
    );
    for (const chunk of held.chunks) handler.onResponseData?.(this.#controller, chunk as Buffer);
    handler.onResponseEnd?.(this.#controller, trailers as never);
  }

  /**
   * undici's redirect handler wraps this one (the redirect interceptor is composed inside the
   * auth interceptor): it would resend these headers, credentials included, to every hop. Nothing
   * has been written yet (`onRequestStart` comes first), so this attempt is dropped and the
   * request starts again with the interceptor following redirects itself. A streamed body cannot
   * start again (dropping the attempt destroys it): that request fails, saying what to change.
   */
  #handOver(controller: Dispatcher.DispatchController, followHere: FollowRedirectsHere): void {
    this.#abandoned = true;
    controller.abort(new Error('superseded: redirects are followed by authInterceptor'));
    if (!this.#replayable) {
      this.#handler.onResponseError?.(
        this.#controller,
        new TypeError(
          'authInterceptor is composed outside interceptors.redirect(), whose redirect handler would resend its credentials to every hop; it follows redirects itself from now on, but the first request had a streamed body that cannot be sent again, so nothing was sent. Compose compose(authInterceptor(…), interceptors.redirect(…)) to avoid this.',
        ),
      );
      return;
    }
    const opts = this.#buffered ? { ...this.#opts, body: this.#bytes as Buffer } : this.#opts;
    followHere(opts, this.#handler);
  }

  #fail(error: unknown): void {
    const reason = error instanceof Error ? error : new Error(String(error));
    this.#handler.onResponseError?.(this.#controller, reason);
  }
}
