import { toBase64 } from '../internal/encoding/base64.js';
import { hasControlCharacter } from '../internal/header-values.js';
import { redacted } from '../internal/redaction.js';
import type { AuthStrategy } from './auth-strategy.js';

/**
 * HTTP Basic authentication (RFC 7617): `Authorization: Basic base64(utf8(user:password))`.
 *
 * @param username - The user id; must not contain `:` (RFC 7617 §2).
 * @param password - The password; any UTF-8 text.
 * @returns The strategy.
 * @throws {TypeError} A username with `:`, or control characters in either value.
 * @see https://www.rfc-editor.org/rfc/rfc7617#section-2
 * @example
 * ```ts
 * import { basicAuth } from '@auth/core';
 *
 * const auth = basicAuth('ci-bot', process.env.CI_PASSWORD!);
 * ```
 */
export function basicAuth(username: string, password: string): AuthStrategy {
  if (typeof username !== 'string' || typeof password !== 'string')
    throw new TypeError('basicAuth needs a username and a password');
  if (username.includes(':'))
    throw new TypeError('basicAuth username must not contain ":" (RFC 7617)');
  if (hasControlCharacter(username) || hasControlCharacter(password)) {
    throw new TypeError('basicAuth username and password must not contain control characters');
  }
  const headers = { Authorization: `Basic ${toBase64(`${username}:${password}`)}` };
  return redacted('basicAuth', () => ({ type: 'basic', password: 'set' }), {
    authenticate: () => headers,
  });
}
