/// <reference types="node" />
// biome-ignore lint/correctness/noNodejsModules: the loopback receiver needs a local HTTP server; it lives behind the separate `@auth/oauth/loopback` entry so the main entry stays runtime-neutral.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthError } from '@auth/core';

/** Options of {@link startLoopbackReceiver}. */
export interface LoopbackReceiverOptions {
  /** The loopback address to listen on. Default `127.0.0.1` (RFC 8252 §7.3 prefers the IP literal). */
  host?: '127.0.0.1' | '::1';
  /** The port; default 0 (a free port, as RFC 8252 §7.3 allows any port on loopback). */
  port?: number;
  /** The callback path. Default `/callback`. */
  path?: string;
  /** The page shown in the browser after the callback. */
  successHtml?: string;
}

/** Options of {@link LoopbackReceiver.waitForCallback}. */
export interface WaitForCallbackOptions {
  /** Stops waiting. */
  signal?: AbortSignal;
  /**
   * Gives up after this many ms, rejecting with an `AuthError` of code `authorization_timeout`
   * (a `TokenManager` does not retry it: the user is not asked again). Default 300 000 (five
   * minutes).
   */
  timeoutMs?: number;
}

/** A running loopback redirect receiver. */
export interface LoopbackReceiver {
  /** The redirect URI to register and send, e.g. `http://127.0.0.1:53120/callback`. */
  redirectUri: string;
  /** Resolves with the full callback URL (with `code`/`state` or `error`) of the next redirect. */
  waitForCallback(options?: WaitForCallbackOptions): Promise<URL>;
  /** Stops listening. */
  close(): Promise<void>;
}

const DEFAULT_SUCCESS_HTML =
  '<!doctype html><title>Signed in</title><p>You are signed in. You can close this window.</p>';

/**
 * Starts an HTTP server on a loopback address to receive the authorization redirect of a
 * native app or CLI (RFC 8252 §7.3). Only GET requests to `path` count as callbacks;
 * anything else is 404. Pair it with `authorizationCode({ redirectUri: receiver.redirectUri })`.
 *
 * Node only: import it from `@auth/oauth/loopback`.
 *
 * @param options - See {@link LoopbackReceiverOptions}.
 * @returns The receiver; `close()` it when done.
 * @example
 * ```ts
 * import { startLoopbackReceiver } from '@auth/oauth/loopback';
 *
 * const receiver = await startLoopbackReceiver();
 * console.log(receiver.redirectUri); // http://127.0.0.1:<port>/callback
 * const callback = await receiver.waitForCallback({ timeoutMs: 120_000 });
 * await receiver.close();
 * ```
 */
export async function startLoopbackReceiver(
  options: LoopbackReceiverOptions = {},
): Promise<LoopbackReceiver> {
  const host = options.host ?? '127.0.0.1';
  const path = options.path ?? '/callback';
  if (!path.startsWith('/')) throw new TypeError('path must start with "/"');
  const successHtml = options.successHtml ?? DEFAULT_SUCCESS_HTML;
  const waiters = new Set<(url: URL) => void>();
  const received: URL[] = [];
  const urlHost = host === '::1' ? '[::1]' : host;

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${urlHost}`);
    if (req.method !== 'GET' || url.pathname !== path) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(successHtml);
    const callback = new URL(url.pathname + url.search, redirectUri);
    const [waiter] = waiters;
    if (waiter) {
      waiters.delete(waiter);
      waiter(callback);
    } else received.push(callback);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const redirectUri = `http://${urlHost}:${port}${path}`;

  return {
    redirectUri,
    waitForCallback({ signal, timeoutMs = 300_000 } = {}) {
      const early = received.shift();
      if (early) return Promise.resolve(early);
      return new Promise<URL>((resolve, reject) => {
        const finish = (error: unknown, url?: URL) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          waiters.delete(deliver);
          if (url) resolve(url);
          else reject(error);
        };
        const deliver = (url: URL) => finish(undefined, url);
        const onAbort = () => finish(signal?.reason);
        const timer = setTimeout(
          () =>
            finish(
              new AuthError(
                `no authorization callback within ${timeoutMs} ms`,
                'authorization_timeout',
              ),
            ),
          timeoutMs,
        );
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        waiters.add(deliver);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
