import { sha256Digest, toHex } from '../internal/crypto/digest.js';
import { p1363ToDer } from '../internal/crypto/ecdsa-der.js';
import { signBytes, signingKeyLoader } from '../internal/crypto/signing-keys.js';
import { toBase64 } from '../internal/encoding/base64.js';
import { isHeaderToken, isVisibleAscii } from '../internal/header-values.js';
import { redacted } from '../internal/redaction.js';
import type { AuthRequest, AuthStrategy } from './auth-strategy.js';
import type { PrivateKeyInput } from './signing-key.js';

/** Options of {@link signedKeyAuth}. */
export interface SignedKeyAuthOptions {
  /** The public key id the server looks the verification key up by. Visible ASCII, no `:`. */
  publicKey: string;
  /** The ECDSA P-256 private key: a `CryptoKey`, a JWK, PKCS#8 PEM, or Base64 of PKCS#8 DER. */
  privateKey: PrivateKeyInput;
  /** The clock for the timestamp. Default `Date.now`. */
  now?: () => number;
  /**
   * The header that carries the timestamp. Default `Date`. Browsers do not let a script set
   * `Date` (a forbidden request header), so a browser needs another name the server reads,
   * such as `X-Date`; `createAuthFetch` rejects a request whose `Date` the runtime would drop.
   */
  dateHeader?: string;
}

const encoder = new TextEncoder();

/**
 * The production key-pair scheme: each request is signed, so a stolen header is useless
 * for any other request or after its timestamp. Sends
 * `Authorization: Secure <public>:<signature>` and `Date: <timestamp>` (or the `dateHeader`
 * you name, e.g. `X-Date` in browsers, where `Date` cannot be set), where the
 * signature is ECDSA P-256 with SHA-256 (DER, Base64) over
 * `<path with query>|<hex SHA-256 of the body>|<timestamp>` and the timestamp is
 * ISO-8601 UTC to the second (`2026-01-02T03:04:05Z`).
 *
 * It signs the body, so adapters pass it the exact bytes that are sent (`signsBody`).
 *
 * @param options - `publicKey`, `privateKey`, `now`, `dateHeader`.
 * @returns The strategy.
 * @throws {TypeError} An invalid public key id, an unusable private key (PEM other than
 *   PKCS#8) or an invalid `dateHeader` name.
 * @example
 * ```ts
 * import { signedKeyAuth } from '@auth/core';
 *
 * const auth = signedKeyAuth({ publicKey: 'pk_live_123', privateKey: process.env.SIGNING_KEY_PEM! });
 * // In a browser, where `Date` is a forbidden header, with a server that reads `X-Date`:
 * const signingJwk: JsonWebKey = JSON.parse(localStorage.getItem('signing-jwk')!);
 * const inBrowser = signedKeyAuth({
 *   publicKey: 'pk_live_123',
 *   privateKey: signingJwk,
 *   dateHeader: 'X-Date',
 * });
 * ```
 */
export function signedKeyAuth(options: SignedKeyAuthOptions): AuthStrategy {
  const { publicKey, now = Date.now, dateHeader = 'Date' } = options ?? {};
  if (typeof publicKey !== 'string' || !isVisibleAscii(publicKey) || publicKey.includes(':')) {
    throw new TypeError('signedKeyAuth publicKey must be non-empty visible ASCII without ":"');
  }
  if (
    typeof dateHeader !== 'string' ||
    !isHeaderToken(dateHeader) ||
    dateHeader.toLowerCase() === 'authorization'
  )
    throw new TypeError(
      'signedKeyAuth dateHeader must be a header name such as "X-Date", not Authorization (which carries the signature)',
    );
  const loadKey = signingKeyLoader(options.privateKey, 'ecdsa-p256-sha256');
  const summary = () => ({ type: 'signed-key', publicKey, privateKey: 'set', dateHeader });
  return redacted('signedKeyAuth', summary, {
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
        [dateHeader]: timestamp,
      };
    },
  });
}
