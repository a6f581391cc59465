import { unsignableBodyError } from './auth-policy.js';
import { type FlatHeaders, headerValue } from './dispatch-headers.js';

/**
 * Request bodies as the undici interceptor sees them. undici takes strings, bytes,
 * `Blob`s, `FormData`, Node streams and async iterables; `fetch` (undici's and Node's)
 * always hands a dispatcher an async iterable, with a `content-length` header when the
 * length is known (every body but a `ReadableStream`).
 */

/** A dispatch body as bytes, when it is bytes already. */
export interface DispatchBody {
  /** The exact bytes sent, when the body is a string or bytes. */
  readonly bytes: Uint8Array | undefined;
  /** Whether the body can be dispatched again (after a 401). */
  readonly replayable: boolean;
}

const encoder = new TextEncoder();

/**
 * What can be known of a body without reading it: strings and bytes are their own bytes
 * and replayable; anything else is read while it is sent, once.
 *
 * @param body - `opts.body` of a dispatch.
 * @returns The bytes (if any) and whether the body is replayable.
 */
export function dispatchBody(body: unknown): DispatchBody {
  if (body === undefined || body === null) return { bytes: undefined, replayable: true };
  if (typeof body === 'string') return { bytes: encoder.encode(body), replayable: true };
  if (ArrayBuffer.isView(body)) {
    return {
      bytes: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
      replayable: true,
    };
  }
  return { bytes: undefined, replayable: false };
}

/**
 * Reads a body that is not bytes yet, for a strategy that signs it: a `Blob`, or a stream
 * or async iterable whose length the request declares (`content-length`, which `fetch`
 * sets for every body of known length). The bytes are then dispatched in its place, so
 * the signature covers exactly what is sent. A stream of unknown length (a `fetch` with a
 * `ReadableStream` body, an `undici.request` stream without `content-length`) and
 * `FormData` (whose boundary undici picks while sending) are refused.
 *
 * @param body - `opts.body`, not a string or bytes.
 * @param headers - The request's headers, for `content-length`.
 * @param origin - The request's origin, for the error.
 * @returns The exact bytes.
 * @throws {AuthenticationError} A body that cannot be read in full before it is sent, or a
 *   stream whose length differs from its `content-length`.
 */
export async function bufferForSigning(
  body: unknown,
  headers: FlatHeaders,
  origin: string,
): Promise<Uint8Array> {
  if (body instanceof Blob) return new Uint8Array(await body.arrayBuffer());
  const declared = headerValue(headers, 'content-length');
  const length = declared === undefined ? Number.NaN : Number(declared);
  if (!isAsyncIterable(body) || !Number.isSafeInteger(length) || length < 0) {
    throw unsignableBodyError(
      origin,
      'the body is a stream of unknown length (or FormData) that is read only while it is sent; send a string, bytes or a Blob, or declare content-length',
    );
  }
  const bytes = new Uint8Array(length);
  let filled = 0;
  for await (const chunk of body) {
    const part = typeof chunk === 'string' ? encoder.encode(chunk) : toBytes(chunk);
    if (filled + part.byteLength > length) {
      filled = Number.POSITIVE_INFINITY;
      break;
    }
    bytes.set(part, filled);
    filled += part.byteLength;
  }
  if (filled !== length) {
    throw unsignableBodyError(
      origin,
      `the body stream does not match its content-length ${length}`,
    );
  }
  return bytes;
}

function toBytes(chunk: unknown): Uint8Array {
  if (ArrayBuffer.isView(chunk))
    return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new TypeError('a request body stream yielded something other than bytes or text');
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}
