import { dpopAlgorithmOf, jwkThumbprint, publicJwk } from '../internal/crypto/dpop-proof.js';
import { redacted } from '../internal/redaction.js';

/**
 * A key pair for DPoP (RFC 9449) with its JWK thumbprint: the identity a server binds
 * tokens to (`cnf.jkt`). Give the same pair to the token provider (`@auth/oauth`'s `dpop`
 * option) and to {@link dpopAuth}. It is a `CryptoKeyPair`, so it also fits any API that
 * takes one (oauth4webapi's `DPoP()`).
 *
 * @example
 * ```ts
 * import { type DPoPKeyPair, generateDPoPKeyPair } from '@auth/core';
 *
 * const keyPair: DPoPKeyPair = await generateDPoPKeyPair();
 * console.log(keyPair.thumbprint); // safe to log: it names the public key
 * ```
 */
export interface DPoPKeyPair extends CryptoKeyPair {
  /** RFC 7638 SHA-256 thumbprint of the public key, Base64url: the `jkt` tokens are bound to. */
  readonly thumbprint: string;
}

/** Options of {@link generateDPoPKeyPair}. */
export interface GenerateDPoPKeyPairOptions {
  /**
   * Whether the private key can be exported (to share it with other processes). Default
   * `false`: the key never leaves WebCrypto, so tokens bound to it are usable only by this
   * process.
   */
  extractable?: boolean;
}

/**
 * Makes a fresh ES256 (ECDSA P-256) key pair for DPoP, the private key non-extractable by
 * default.
 *
 * A DPoP-bound token is usable only with the key it is bound to: processes that share
 * tokens through a store must share the key too (generate it once with `extractable: true`,
 * keep it as a secret, and load it everywhere with {@link dpopKeyPair}), or not share
 * tokens. Providers put the thumbprint into their `cacheKey`, so tokens bound to different
 * keys never share a cache entry.
 *
 * @param options - `extractable`.
 * @returns The key pair with its thumbprint.
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-2
 * @example
 * ```ts
 * import { generateDPoPKeyPair } from '@auth/core';
 * import { clientCredentials } from '@auth/oauth';
 *
 * const dpop = await generateDPoPKeyPair();
 * const provider = clientCredentials({
 *   issuer: 'https://login.example.com',
 *   clientId: 'svc',
 *   clientSecret: process.env.CLIENT_SECRET!,
 *   dpop,
 * });
 * ```
 */
export async function generateDPoPKeyPair(
  options: GenerateDPoPKeyPairOptions = {},
): Promise<DPoPKeyPair> {
  const keyPair = (await crypto.subtle.generateKey(
    { name: 'ECDSA', namedCurve: 'P-256' },
    options.extractable === true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  return dpopKeyPair(keyPair);
}

/**
 * Checks a key pair you hold (imported from a JWK or PKCS #8 you share between processes)
 * and adds its thumbprint, for the `dpop` option of the providers and {@link dpopAuth}.
 *
 * @param keyPair - ECDSA P-256 or Ed25519; the public key extractable, the private one
 *   usable for `sign`.
 * @returns The key pair with its thumbprint.
 * @throws {TypeError} Keys of another kind or algorithm, or a public key that cannot be exported.
 * @see https://www.rfc-editor.org/rfc/rfc7638
 * @example
 * ```ts
 * import { dpopKeyPair } from '@auth/core';
 *
 * // The key pair every process shares, kept as JWKs in your secret store.
 * declare const sharedPrivateJwk: JsonWebKey;
 * declare const sharedPublicJwk: JsonWebKey;
 * const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
 * const keyPair = await dpopKeyPair({
 *   privateKey: await crypto.subtle.importKey('jwk', sharedPrivateJwk, algorithm, false, ['sign']),
 *   publicKey: await crypto.subtle.importKey('jwk', sharedPublicJwk, algorithm, true, ['verify']),
 * });
 * ```
 */
export async function dpopKeyPair(keyPair: CryptoKeyPair): Promise<DPoPKeyPair> {
  const alg = dpopAlgorithmOf(keyPair);
  const thumbprint = await jwkThumbprint(await publicJwk(keyPair.publicKey, alg));
  const summary = () => ({ type: 'dpop-key-pair', alg, thumbprint });
  return Object.freeze(
    redacted('DPoPKeyPair', summary, {
      privateKey: keyPair.privateKey,
      publicKey: keyPair.publicKey,
      thumbprint,
    }),
  );
}
