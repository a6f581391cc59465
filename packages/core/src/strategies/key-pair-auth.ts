import { isVisibleAscii } from '../internal/header-values.js';
import { redacted } from '../internal/redaction.js';
import type { AuthStrategy } from './auth-strategy.js';

/** Options of {@link keyPairAuth}. */
export interface KeyPairAuthOptions {
  /** The public key id. Visible ASCII, no `:`. */
  publicKey: string;
  /** The secret key. Visible ASCII. */
  secretKey: string;
}

/**
 * The development key-pair scheme: `Authorization: Simple <public>:<secret>`. The secret
 * travels with every request, so use it only over TLS and prefer {@link signedKeyAuth} in
 * production.
 *
 * @param options - `publicKey` and `secretKey`.
 * @returns The strategy.
 * @throws {TypeError} Empty keys, whitespace or control characters, or `:` in the public key.
 * @example
 * ```ts
 * import { keyPairAuth } from '@auth/core';
 *
 * const auth = keyPairAuth({ publicKey: 'pk_dev_123', secretKey: process.env.SECRET_KEY! });
 * ```
 */
export function keyPairAuth(options: KeyPairAuthOptions): AuthStrategy {
  const { publicKey, secretKey } = options ?? {};
  if (typeof publicKey !== 'string' || !isVisibleAscii(publicKey) || publicKey.includes(':')) {
    throw new TypeError('keyPairAuth publicKey must be non-empty visible ASCII without ":"');
  }
  if (typeof secretKey !== 'string' || !isVisibleAscii(secretKey)) {
    throw new TypeError('keyPairAuth secretKey must be non-empty visible ASCII');
  }
  const headers = { Authorization: `Simple ${publicKey}:${secretKey}` };
  const summary = () => ({ type: 'key-pair', publicKey, secretKey: 'set' });
  return redacted('keyPairAuth', summary, {
    authenticate: () => headers,
  });
}
