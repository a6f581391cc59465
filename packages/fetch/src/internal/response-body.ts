/**
 * Response bodies of any fetch-compatible implementation: a WHATWG `ReadableStream` (the
 * platform's fetch, undici, Deno, Bun, browsers) or a Node stream (node-fetch 2 and 3, and
 * cross-fetch on Node, which is node-fetch 2).
 */

/** What this module needs of a response: its body, whatever kind of stream it is. */
interface ResponseWithBody {
  readonly body: unknown;
}

/**
 * Lets go of a response body nobody will read, so its connection is freed: `cancel()` on a
 * WHATWG stream, `destroy()` on a Node stream. A locked or already closed stream, or a
 * body of any other kind, is left as it is. Never throws.
 *
 * @param response - A response whose body is not handed to anyone.
 */
export async function discardBody(response: ResponseWithBody): Promise<void> {
  const body = response.body as {
    cancel?: () => Promise<void>;
    destroy?: () => void;
  } | null;
  if (body === null || typeof body !== 'object') return;
  try {
    if (typeof body.cancel === 'function') await body.cancel();
    else if (typeof body.destroy === 'function') body.destroy();
  } catch {
    // A locked stream is read by someone else, who lets go of it.
  }
}
