import { toBase64 } from '../internal/base64.js';
import { sha256Digest, toHex } from '../internal/digest.js';
import { p1363ToDer } from '../internal/ecdsa-der.js';
import { isVisibleAscii } from '../internal/header-values.js';
import { inspectSymbol } from '../internal/redaction.js';
import { type PrivateKeyInput, signBytes, signingKeyLoader } from '../internal/signing-keys.js';
import type { AuthRequest, AuthStrategy } from './auth-strategy.js';

/** Options of {@link signedKeyAuth}. */
export interface SignedKeyAuthOptions {
  /** The public key id the server looks the verification key up by. Visible ASCII, no `:`. */
  publicKey: string;
  /** The ECDSA P-256 private key: a `CryptoKey`, a JWK, PKCS#8 PEM, or Base64 of PKCS#8 DER. */
  privateKey: PrivateKeyInput;
  /** The clock for the timestamp. Default `Date.now`. */
  now?: () => number;
}

const encoder = new TextEncoder();

/**
 * The production key-pair scheme: each request is signed, so a stolen header is useless
 * for any other request or after its timestamp. Sends
 * `Authorization: Secure <public>:<signature>` and `Date: <timestamp>`, where the
 * signature is ECDSA P-256 with SHA-256 (DER, Base64) over
 * `<path with query>|<hex SHA-256 of the body>|<timestamp>` and the timestamp is
 * ISO-8601 UTC to the second (`2026-01-02T03:04:05Z`).
 *
 * It signs the body, so adapters pass it the exact bytes that are sent (`signsBody`).
 *
 * @param options - `publicKey`, `privateKey`, `now`.
 * @returns The strategy.
 * @throws {TypeError} An invalid public key id or an unusable private key (PEM other than PKCS#8).
 * @example
 * ```ts
 * import { signedKeyAuth } from '@auth/core';
 *
 * const auth = signedKeyAuth({ publicKey: 'pk_live_123', privateKey: process.env.SIGNING_KEY_PEM! });
 * ```
 */
export function signedKeyAuth(options: SignedKeyAuthOptions): AuthStrategy {
  const { publicKey, now = Date.now } = options ?? {};
  if (typeof publicKey !== 'string' || !isVisibleAscii(publicKey) || publicKey.includes(':')) {
    throw new TypeError('signedKeyAuth publicKey must be non-empty visible ASCII without ":"');
  }
  const loadKey = signingKeyLoader(options.privateKey, 'ecdsa-p256-sha256');
  const summary = () => ({ type: 'signed-key', publicKey, privateKey: 'set' });
  return {
    signsBody: true,
    async authenticate(req: AuthRequest) {
      const timestamp = new Date(now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const bodyHash = toHex(await sha256Digest(req.body ?? new Uint8Array()));
      const message = `${req.url.pathname}${req.url.search}|${bodyHash}|${timestamp}`;
      const signature = await signBytes(
        await loadKey(),
        'ecdsa-p256-sha256',
        encoder.encode(message),
      );
      return {
        Authorization: `Secure ${publicKey}:${toBase64(p1363ToDer(signature))}`,
        Date: timestamp,
      };
    },
    toJSON: summary,
    [inspectSymbol]: () => `signedKeyAuth(${JSON.stringify(summary())})`,
  } as AuthStrategy;
}
