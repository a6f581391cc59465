import { checkedHttpUrl } from '@auth/core/internal';

/** The default deadline of every request, in ms. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** The default cap on a response body, in bytes (1 MiB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 1_048_576;

/**
 * Parses an endpoint URL and refuses plain `http:` except to loopback hosts (or when the
 * caller opted in with `allowInsecureHttp`): credentials must not cross a network in clear.
 * Refuses user information (`https://user:password@host`) too: the URL ends up in cache
 * keys, `describe()`, errors and events, so a password in it would leak everywhere.
 *
 * @param name - The option name, for the error.
 * @param value - The URL.
 * @param allowInsecureHttp - The loud opt-in.
 * @returns The URL.
 * @throws {TypeError} Not a URL, not http(s), http to a non-loopback host, or user
 *   information in the URL (the message names the host at most: never user information, a
 *   path or a query).
 */
export function checkEndpointUrl(name: string, value: unknown, allowInsecureHttp = false): URL {
  const url = checkedHttpUrl(name, value, allowInsecureHttp);
  if (url.username !== '' || url.password !== '')
    throw new TypeError(
      `${name} must not hold user information (user:password@); pass credentials as options`,
    );
  return url;
}

/**
 * Checks an optional duration in ms.
 *
 * @throws {TypeError} Not a positive finite number.
 */
export function positiveMs(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw new TypeError(`${name} must be a positive number of milliseconds`);
  return value;
}

/**
 * Checks an optional size in bytes.
 *
 * @param name - The option name, for the error.
 * @param value - The size.
 * @param fallback - The default.
 * @returns The size.
 * @throws {TypeError} Not a positive integer.
 */
export function positiveBytes(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0)
    throw new TypeError(`${name} must be a positive whole number of bytes`);
  return value;
}

/**
 * Checks a required non-empty string setting.
 *
 * @throws {TypeError} Naming the setting.
 */
export function requiredString(owner: string, name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '')
    throw new TypeError(`${owner} needs ${name} (a non-empty string)`);
  return value;
}

/** `scope` given as a string or a list, as the space-separated wire form. */
export function scopeString(scope: string | readonly string[] | undefined): string | undefined {
  if (scope === undefined) return undefined;
  const joined = typeof scope === 'string' ? scope : scope.join(' ');
  return joined === '' ? undefined : joined;
}

/** What a token is requested for: its scope, audience (RFC 8693) and resources (RFC 8707). */
export interface TokenTarget {
  scope: string | undefined;
  audience: string | undefined;
  resource: string[];
}

/** The {@link TokenTarget} of a grant's options, normalised once for the cache key and the request. */
export function tokenTarget(options: {
  scope?: string | readonly string[];
  audience?: string;
  resource?: string | readonly string[];
}): TokenTarget {
  return {
    scope: scopeString(options.scope),
    audience: options.audience,
    resource: list(options.resource),
  };
}

/** A value given once or as a list, as a list. */
export function list(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}
