import { toBase64Url } from '../encoding/base64.js';
import { sha256Digest } from './digest.js';
import { signBytes } from './signing-keys.js';

/**
 * DPoP proofs (RFC 9449 §4) on WebCrypto alone: the key checks, the public JWK and its
 * RFC 7638 thumbprint, and the signed `dpop+jwt` itself.
 */

/** The JWS algorithms a DPoP key may use: how they sign, and the members of their public JWK. */
const ALGORITHMS = {
  ES256: { signing: 'ecdsa-p256-sha256', members: ['crv', 'kty', 'x', 'y'] },
  EdDSA: { signing: 'ed25519', members: ['crv', 'kty', 'x'] },
} as const;

/** The JWS `alg` of a DPoP proof. */
export type DPoPAlgorithm = keyof typeof ALGORITHMS;

/** What goes into one proof. */
export interface ProofClaims {
  /** The request method (`htm`). */
  method: string;
  /** The request URL; `htu` is it without query and fragment. */
  url: URL;
  /** `ath`: the Base64url SHA-256 of the access token the request carries ({@link accessTokenHash}). */
  ath?: string;
  /** The server's latest `DPoP-Nonce`, if it gave one. */
  nonce?: string;
  /** Epoch ms, for `iat`. */
  now: number;
}

/**
 * Checks that `keyPair` can sign DPoP proofs: a private and a public `CryptoKey` of
 * ECDSA P-256 (ES256) or Ed25519 (EdDSA), the public one exportable (it goes into every
 * proof).
 *
 * @returns The JWS algorithm.
 * @throws {TypeError} Anything else.
 */
export function dpopAlgorithmOf(keyPair: CryptoKeyPair | undefined): DPoPAlgorithm {
  const { privateKey, publicKey } = keyPair ?? ({} as Partial<CryptoKeyPair>);
  if (!isCryptoKey(privateKey, 'private') || !isCryptoKey(publicKey, 'public'))
    throw new TypeError('a DPoP key pair needs a private and a public CryptoKey');
  if (!publicKey.extractable)
    throw new TypeError('the DPoP public key must be extractable (it is sent in every proof)');
  if (!privateKey.usages.includes('sign'))
    throw new TypeError('the DPoP private key must be usable for "sign"');
  const algorithm = privateKey.algorithm as EcKeyAlgorithm;
  if (algorithm.name === 'ECDSA' && algorithm.namedCurve === 'P-256') return 'ES256';
  if (algorithm.name === 'Ed25519') return 'EdDSA';
  throw new TypeError('a DPoP key must be ECDSA P-256 (ES256) or Ed25519 (EdDSA)');
}

/** The public JWK as it goes into a proof's `jwk` header: the key's required members only. */
export async function publicJwk(
  publicKey: CryptoKey,
  alg: DPoPAlgorithm,
): Promise<Record<string, string>> {
  const exported = (await crypto.subtle.exportKey('jwk', publicKey)) as Record<string, unknown>;
  const jwk: Record<string, string> = {};
  for (const member of ALGORITHMS[alg].members) jwk[member] = String(exported[member]);
  return jwk;
}

/**
 * The RFC 7638 JWK thumbprint (SHA-256, Base64url) of a public JWK: what a server binds a
 * token to (`cnf.jkt`).
 */
export async function jwkThumbprint(jwk: Record<string, string>): Promise<string> {
  // RFC 7638 §3: the required members in lexicographic order, no whitespace.
  const canonical = JSON.stringify(Object.fromEntries(Object.entries(jwk).sort()));
  return toBase64Url(await sha256Digest(new TextEncoder().encode(canonical)));
}

/**
 * Signs one DPoP proof JWT (RFC 9449 §4.2): header `typ: dpop+jwt`, `alg`, `jwk`; claims
 * `jti` (128 random bits), `htm`, `htu` (no query or fragment), `iat`, and `ath` and `nonce`
 * when given.
 *
 * @param privateKey - The signing key.
 * @param alg - Its algorithm.
 * @param jwk - The public JWK for the header.
 * @param claims - The request.
 * @returns The compact JWS.
 */
export async function signProof(
  privateKey: CryptoKey,
  alg: DPoPAlgorithm,
  jwk: Record<string, string>,
  claims: ProofClaims,
): Promise<string> {
  const header = { typ: 'dpop+jwt', alg, jwk };
  const payload: Record<string, string | number> = {
    jti: toBase64Url(crypto.getRandomValues(new Uint8Array(16))),
    htm: claims.method.toUpperCase(),
    htu: `${claims.url.origin}${claims.url.pathname}`,
    iat: Math.floor(claims.now / 1000),
  };
  if (claims.ath !== undefined) payload.ath = claims.ath;
  if (claims.nonce !== undefined) payload.nonce = claims.nonce;
  const input = `${toBase64Url(JSON.stringify(header))}.${toBase64Url(JSON.stringify(payload))}`;
  const signature = await signBytes(
    privateKey,
    ALGORITHMS[alg].signing,
    new TextEncoder().encode(input),
  );
  // WebCrypto's ECDSA signature is r‖s, which is the JWS encoding (RFC 7518 §3.4).
  return `${input}.${toBase64Url(signature)}`;
}

/** The `ath` claim for an access token (RFC 9449 §4.2): Base64url SHA-256 of its value. */
export async function accessTokenHash(accessToken: string): Promise<string> {
  return toBase64Url(await sha256Digest(new TextEncoder().encode(accessToken)));
}

function isCryptoKey(value: unknown, type: KeyType): value is CryptoKey {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as CryptoKey).type === type &&
    typeof (value as CryptoKey).algorithm === 'object' &&
    Array.isArray((value as CryptoKey).usages)
  );
}
