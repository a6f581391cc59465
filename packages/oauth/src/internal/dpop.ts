import type { DPoPKeyPair } from '@auth/core';
import * as oauth from 'oauth4webapi';
import type { ReadResponse } from './http-response.js';

/**
 * oauth4webapi's DPoP handle (RFC 9449) for a provider's `dpop` key pair: it signs a proof
 * for each token request and remembers each server's `DPoP-Nonce`.
 *
 * @param owner - The provider's name, for errors.
 * @param keyPair - From `generateDPoPKeyPair()` or `dpopKeyPair()` (`@auth/core`).
 * @returns The handle.
 * @throws {TypeError} Not such a key pair (the thumbprint is missing, or the keys are not
 *   a private and an exportable public `CryptoKey`).
 */
export function dpopHandle(owner: string, keyPair: DPoPKeyPair): oauth.DPoPHandle {
  if (typeof keyPair?.thumbprint !== 'string' || keyPair.thumbprint === '') {
    throw new TypeError(
      `${owner}: dpop must be a key pair from generateDPoPKeyPair() or dpopKeyPair() (@auth/core)`,
    );
  }
  try {
    return oauth.DPoP({}, keyPair);
  } catch (error) {
    throw new TypeError(`${owner}: dpop keys are unusable: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Whether the token endpoint asked for a DPoP nonce (RFC 9449 §8): a 400 or 401 with the
 * error `use_dpop_nonce` and a `DPoP-Nonce` to use. The response is read by this package's
 * own mapping, so this looks at the body directly (oauth4webapi's `isDPoPNonceError`
 * recognises only its own parse errors).
 */
export function isDPoPNonceChallenge(read: ReadResponse): boolean {
  if ((read.status !== 400 && read.status !== 401) || !read.headers.has('dpop-nonce')) return false;
  try {
    return (JSON.parse(read.text) as { error?: unknown })?.error === 'use_dpop_nonce';
  } catch {
    return false;
  }
}
