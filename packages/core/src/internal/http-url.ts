import { isLoopbackHost } from '../loopback-host.js';

/**
 * The one rule for a URL credentials are sent to (a token endpoint, an API origin): an
 * absolute `https:` URL, or `http:` only to a loopback host unless `allowInsecureHttp`.
 *
 * @param name - What the URL is, for error messages (an option's name).
 * @param value - The URL as the user gave it.
 * @param allowInsecureHttp - Whether plain `http:` may go to any host.
 * @returns The parsed URL.
 * @throws {TypeError} Not an absolute URL, not `http:`/`https:`, or plain `http:` to
 *   another host.
 */
export function checkedHttpUrl(name: string, value: unknown, allowInsecureHttp: boolean): URL {
  let url: URL;
  try {
    // Always a copy: a URL object the caller changes later must not move a checked endpoint.
    url = new URL(value instanceof URL ? value.href : String(value));
  } catch {
    throw new TypeError(`${name} must be an absolute URL such as https://api.example.com`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new TypeError(`${name} must be an https: URL, not ${url.protocol}`);
  if (url.protocol === 'http:' && !allowInsecureHttp && !isLoopbackHost(url.hostname)) {
    throw new TypeError(
      `${name} uses plain http: to ${url.host}, which is not loopback: refusing to send credentials unencrypted; use https:, or set allowInsecureHttp`,
    );
  }
  return url;
}
