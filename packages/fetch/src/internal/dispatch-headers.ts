/**
 * undici accepts request headers in several shapes: a flat `[name, value, …]` array, an
 * array of `[name, value]` pairs, a plain object whose values may be arrays, or any
 * iterable of pairs (`Headers`, `Map`). The interceptor turns them all into one flat list
 * of strings, as undici's own `lib/interceptor/dns.js` does, before adding credentials.
 */

import type { CallerHeaders } from './sent-request.js';

/** A flat `[name, value, name, value, …]` header list. */
export type FlatHeaders = string[];

/**
 * Normalises any undici header shape into a new flat list (the caller's value untouched).
 *
 * @param headers - `opts.headers` of a dispatch.
 * @returns A flat list; values of array-valued entries become repeated names.
 */
export function flattenHeaders(headers: unknown): FlatHeaders {
  const flat: FlatHeaders = [];
  if (headers === null || headers === undefined) return flat;
  if (Array.isArray(headers)) {
    if (headers.length > 0 && Array.isArray(headers[0])) {
      for (const pair of headers as unknown[][]) push(flat, pair[0], pair[1]);
    } else {
      for (let i = 0; i + 1 < headers.length; i += 2) push(flat, headers[i], headers[i + 1]);
    }
    return flat;
  }
  if (typeof headers === 'object' && hasOwnIterator(headers)) {
    for (const pair of headers as Iterable<unknown[]>) push(flat, pair[0], pair[1]);
    return flat;
  }
  if (typeof headers === 'object') {
    for (const [name, value] of Object.entries(headers)) push(flat, name, value);
  }
  return flat;
}

/** Whether the flat list holds `name` (case-insensitive). */
export function hasHeader(flat: FlatHeaders, name: string): boolean {
  return headerValue(flat, name) !== undefined;
}

/**
 * A dispatch's caller headers, for `withCredentials`: credentials go on a copy of the list.
 *
 * @param flat - The caller's headers, flattened.
 */
export function callerFlatHeaders(flat: FlatHeaders): CallerHeaders<FlatHeaders> {
  return {
    has: (name) => hasHeader(flat, name),
    with: (added) => {
      const headers = [...flat];
      for (const name in added) headers.push(name, added[name]!);
      return headers;
    },
  };
}

/** The first value of `name` in the flat list (case-insensitive), if any. */
export function headerValue(flat: FlatHeaders, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (let i = 0; i < flat.length; i += 2) {
    if (flat[i]!.toLowerCase() === lower) return flat[i + 1];
  }
  return undefined;
}

/** A `Headers` of a response's header object (undici's `IncomingHttpHeaders`). */
export function responseHeaders(headers: Record<string, string | string[] | undefined>): Headers {
  const result = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (Array.isArray(value)) for (const item of value) result.append(name, item);
    else if (value !== undefined) result.append(name, value);
  }
  return result;
}

function push(flat: FlatHeaders, name: unknown, value: unknown): void {
  if (name === undefined || name === null || value === undefined || value === null) return;
  const key = text(name);
  if (Array.isArray(value)) for (const item of value) flat.push(key, text(item));
  else flat.push(key, text(value));
}

const latin1 = new TextDecoder('latin1');

function text(value: unknown): string {
  return ArrayBuffer.isView(value) ? latin1.decode(value) : String(value);
}

function hasOwnIterator(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return (
    Object.hasOwn(value, Symbol.iterator) ||
    (prototype !== null &&
      prototype !== Object.prototype &&
      typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function')
  );
}
