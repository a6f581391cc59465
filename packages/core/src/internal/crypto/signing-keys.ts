import type { PrivateKeyInput, SigningAlgorithm } from '../../strategies/signing-key.js';
import { fromBase64 } from '../encoding/base64.js';

/** The WebCrypto import parameters of each signing algorithm. */
export const SIGNING_ALGORITHMS = {
  'ecdsa-p256-sha256': {
    importAs: { name: 'ECDSA', namedCurve: 'P-256' },
    signWith: { name: 'ECDSA', hash: 'SHA-256' },
  },
  ed25519: { importAs: { name: 'Ed25519' }, signWith: { name: 'Ed25519' } },
  'hmac-sha256': { importAs: { name: 'HMAC', hash: 'SHA-256' }, signWith: { name: 'HMAC' } },
} as const satisfies Record<SigningAlgorithm, unknown>;

type KeyMaterial =
  | { format: 'key'; key: CryptoKey }
  | { format: 'jwk'; key: JsonWebKey }
  | { format: 'pkcs8' | 'raw'; key: Uint8Array };

/**
 * Checks a key synchronously (so mistakes surface at construction) and returns a function
 * that imports it for signing on first use. PEM must be PKCS#8 (`BEGIN PRIVATE KEY`); an
 * HMAC secret is given as bytes or Base64.
 */
export function signingKeyLoader(
  input: PrivateKeyInput | Uint8Array,
  algorithm: SigningAlgorithm,
): () => Promise<CryptoKey> {
  const material = keyMaterial(input, algorithm);
  let imported: Promise<CryptoKey> | undefined;
  return () => {
    imported ??= importMaterial(material, algorithm);
    return imported;
  };
}

/** Signs `data` with the algorithm's WebCrypto parameters. ECDSA yields r‖s (IEEE P1363). */
export async function signBytes(
  key: CryptoKey,
  algorithm: SigningAlgorithm,
  data: Uint8Array,
): Promise<Uint8Array> {
  return new Uint8Array(
    await crypto.subtle.sign(
      SIGNING_ALGORITHMS[algorithm].signWith,
      key,
      data as Uint8Array<ArrayBuffer>,
    ),
  );
}

function keyMaterial(
  input: PrivateKeyInput | Uint8Array,
  algorithm: SigningAlgorithm,
): KeyMaterial {
  const hmac = algorithm === 'hmac-sha256';
  if (input instanceof Uint8Array) {
    if (!hmac)
      throw new TypeError('a private key given as bytes must be PEM text or Base64 PKCS#8');
    return { format: 'raw', key: input };
  }
  if (typeof input === 'object' && input !== null && 'type' in input && 'algorithm' in input)
    return { format: 'key', key: input as CryptoKey };
  if (typeof input === 'object' && input !== null && 'kty' in input)
    return { format: 'jwk', key: input };
  if (typeof input !== 'string' || input.trim() === '')
    throw new TypeError('the signing key must be a CryptoKey, a JWK, PEM text or Base64');
  const pem = /-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----/.exec(input);
  if (pem && pem[1] !== 'PRIVATE KEY') {
    throw new TypeError(
      `PEM "${pem[1]}" is not supported: convert it to PKCS#8 ("BEGIN PRIVATE KEY"), e.g. openssl pkcs8 -topk8 -nocrypt`,
    );
  }
  try {
    return {
      format: hmac ? 'raw' : 'pkcs8',
      key: fromBase64((pem ? pem[2]! : input).replace(/\s+/g, '')),
    };
  } catch {
    throw new TypeError('the signing key is neither PEM nor Base64');
  }
}

async function importMaterial(
  material: KeyMaterial,
  algorithm: SigningAlgorithm,
): Promise<CryptoKey> {
  if (material.format === 'key') return material.key;
  const { importAs } = SIGNING_ALGORITHMS[algorithm];
  try {
    if (material.format === 'jwk')
      return await crypto.subtle.importKey('jwk', material.key, importAs, false, ['sign']);
    return await crypto.subtle.importKey(
      material.format,
      material.key as Uint8Array<ArrayBuffer>,
      importAs,
      false,
      ['sign'],
    );
  } catch (error) {
    throw new TypeError(`the signing key is not a valid ${algorithm} private key`, {
      cause: error,
    });
  }
}
