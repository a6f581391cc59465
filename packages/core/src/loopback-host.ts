/**
 * Whether `hostname` (as `URL#hostname` gives it) names this machine: `localhost`, a
 * `*.localhost` name, `127.0.0.0/8` or `[::1]`. The packages send credentials over plain
 * `http:` only to such hosts unless the caller sets `allowInsecureHttp`; this is the one
 * rule they share, exported for adapters of other HTTP clients that keep to it.
 *
 * @param hostname - A URL's `hostname`.
 * @returns `true` for a loopback host.
 * @example
 * ```ts
 * import { isLoopbackHost } from '@auth/core';
 *
 * isLoopbackHost(new URL('http://127.0.0.1:8080').hostname); // true
 * isLoopbackHost(new URL('http://10.0.0.5').hostname); // false
 * ```
 */
export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}
