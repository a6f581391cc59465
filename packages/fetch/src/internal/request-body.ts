/** Request bodies for `createAuthFetch`: kept as exact bytes when they can be replayed. */

/** A request body as `createAuthFetch` sends it. */
export interface PreparedBody {
  /** What goes to `fetch`: the buffered bytes, or the caller's one-shot stream. */
  readonly value: BodyInit;
  /** The exact bytes sent, when the body was buffered (what signing strategies hash). */
  readonly bytes: Uint8Array | undefined;
  /** The `Content-Type` fetch would have derived from the original body, if any. */
  readonly contentType: string | undefined;
  /** Whether the body can be sent again (after a 401 or a 307/308 redirect). */
  readonly replayable: boolean;
}

const encoder = new TextEncoder();

/**
 * Buffers a replayable body (string, bytes, `URLSearchParams`, `Blob`, `FormData`) into
 * its exact bytes, with the `Content-Type` fetch would give it. A stream (or any other
 * one-shot body) is passed through as it is and marked not replayable.
 *
 * @param body - The caller's body; `null`/`undefined` for none.
 * @returns The prepared body, or `undefined` for none.
 */
export async function prepareBody(
  body: BodyInit | null | undefined,
): Promise<PreparedBody | undefined> {
  if (body === null || body === undefined) return undefined;
  if (typeof body === 'string') return buffered(encoder.encode(body), 'text/plain;charset=UTF-8');
  if (body instanceof URLSearchParams) {
    return buffered(
      encoder.encode(body.toString()),
      'application/x-www-form-urlencoded;charset=UTF-8',
    );
  }
  if (body instanceof ArrayBuffer) return buffered(new Uint8Array(body.slice(0)), undefined);
  if (ArrayBuffer.isView(body)) {
    const view = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    return buffered(view.slice(), undefined);
  }
  if (body instanceof Blob)
    return buffered(new Uint8Array(await body.arrayBuffer()), body.type || undefined);
  if (body instanceof FormData) {
    // The multipart boundary is chosen when the form is serialised: serialise once so the
    // bytes (and the boundary in Content-Type) stay the same on every attempt.
    const serialised = new Response(body);
    const bytes = new Uint8Array(await serialised.arrayBuffer());
    return buffered(bytes, serialised.headers.get('content-type') ?? undefined);
  }
  return { value: body, bytes: undefined, contentType: undefined, replayable: false };
}

/**
 * Reads a `Request`'s body into bytes, so it can be replayed and signed. Reading it uses
 * the caller's `Request` up, as `fetch(request)` would.
 */
export async function prepareRequestBody(request: Request): Promise<PreparedBody | undefined> {
  if (request.body === null) return undefined;
  return buffered(new Uint8Array(await request.arrayBuffer()), undefined);
}

function buffered(bytes: Uint8Array, contentType: string | undefined): PreparedBody {
  return { value: bytes as Uint8Array<ArrayBuffer>, bytes, contentType, replayable: true };
}
