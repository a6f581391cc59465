/**
 * A private key as users hold it: a WebCrypto key, a JWK, PEM (PKCS#8) text, or Base64 of PKCS#8 DER.
 *
 * @example
 * ```ts
 * import type { PrivateKeyInput } from '@auth/core';
 *
 * const key: PrivateKeyInput = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----';
 * ```
 */
export type PrivateKeyInput = CryptoKey | JsonWebKey | string;

/**
 * A signing algorithm this package supports.
 *
 * @example
 * ```ts
 * import type { SigningAlgorithm } from '@auth/core';
 *
 * const algorithm: SigningAlgorithm = 'ed25519';
 * ```
 */
export type SigningAlgorithm = 'ecdsa-p256-sha256' | 'ed25519' | 'hmac-sha256';
