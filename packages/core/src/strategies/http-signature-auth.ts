import { sha256Digest } from '../internal/crypto/digest.js';
import { serializeSignatureParams, signatureBase } from '../internal/crypto/signature-base.js';
import { signBytes, signingKeyLoader } from '../internal/crypto/signing-keys.js';
import { toBase64 } from '../internal/encoding/base64.js';
import { redacted } from '../internal/redaction.js';
import type { AuthRequest, AuthStrategy } from './auth-strategy.js';
import type { PrivateKeyInput, SigningAlgorithm } from './signing-key.js';

/** Options of {@link httpSignatureAuth}. */
export interface HttpSignatureAuthOptions {
  /** The `keyid` the verifier looks the key up by. */
  keyId: string;
  /**
   * The signing key: for `ed25519` and `ecdsa-p256-sha256` a `CryptoKey`, a JWK, PKCS#8 PEM
   * or Base64 PKCS#8 DER; for `hmac-sha256` the shared secret as bytes or Base64.
   */
  key: PrivateKeyInput | Uint8Array;
  /** The algorithm (RFC 9421 §3.3). */
  algorithm: SigningAlgorithm;
  /**
   * The covered components, in order: derived ones (`@method`, `@target-uri`, `@authority`,
   * `@scheme`, `@request-target`, `@path`, `@query`) and header fields (lower case).
   * `content-digest` makes the strategy add an RFC 9530 `Content-Digest` of the body.
   * Default `['@method', '@target-uri', 'content-digest']`.
   */
  components?: readonly string[];
  /** The signature label. Default `sig1`. */
  label?: string;
  /** Adds `expires` this long after `created`. Default: no `expires`. */
  expiresInMs?: number;
  /** Adds the `alg` parameter. Default false (the verifier knows the key's algorithm). */
  includeAlgorithm?: boolean;
  /** Adds a fresh random `nonce` to each signature. Default false. */
  nonce?: boolean;
  /** The clock for `created`. Default `Date.now`. */
  now?: () => number;
}

/**
 * HTTP Message Signatures (RFC 9421): signs chosen components of each request and adds
 * `Signature-Input` and `Signature` (and `Content-Digest`, RFC 9530, when it is covered).
 * Supports `ed25519`, `ecdsa-p256-sha256` and `hmac-sha256`.
 *
 * @param options - See {@link HttpSignatureAuthOptions}.
 * @returns The strategy; `signsBody` is set when `content-digest` is covered.
 * @throws {TypeError} An invalid key, label, key id or component list.
 * @see https://www.rfc-editor.org/rfc/rfc9421
 * @example
 * ```ts
 * import { httpSignatureAuth } from '@auth/core';
 *
 * const auth = httpSignatureAuth({ keyId: 'my-key', key: process.env.ED25519_PEM!, algorithm: 'ed25519' });
 * ```
 */
export function httpSignatureAuth(options: HttpSignatureAuthOptions): AuthStrategy {
  const {
    keyId,
    algorithm,
    label = 'sig1',
    expiresInMs,
    includeAlgorithm = false,
    now = Date.now,
  } = options ?? {};
  const components = [...(options.components ?? ['@method', '@target-uri', 'content-digest'])].map(
    (c) => c.toLowerCase(),
  );
  if (typeof keyId !== 'string' || !/^[\x20-\x7e]+$/.test(keyId))
    throw new TypeError('httpSignatureAuth keyId must be printable ASCII');
  if (!/^[a-z*][a-z0-9_.*-]*$/.test(label))
    throw new TypeError(`httpSignatureAuth label "${label}" is not a valid key`);
  if (components.length === 0 || new Set(components).size !== components.length) {
    throw new TypeError('httpSignatureAuth components must be a non-empty list without repeats');
  }
  if (expiresInMs !== undefined && (!Number.isFinite(expiresInMs) || expiresInMs <= 0)) {
    throw new TypeError('httpSignatureAuth expiresInMs must be a positive number');
  }
  const loadKey = signingKeyLoader(options.key, algorithm);
  const coversDigest = components.includes('content-digest');
  const summary = () => ({
    type: 'http-signature',
    keyId,
    algorithm,
    components: components.join(' '),
    key: 'set',
  });

  return redacted('httpSignatureAuth', summary, {
    signsBody: coversDigest,
    async authenticate(req: AuthRequest) {
      const added: Record<string, string> = {};
      if (coversDigest)
        added['Content-Digest'] =
          `sha-256=:${toBase64(await sha256Digest(req.body ?? new Uint8Array()))}:`;
      const headers = new Headers(req.headers);
      for (const [name, value] of Object.entries(added)) headers.set(name, value);
      const created = Math.floor(now() / 1000);
      const params = serializeSignatureParams(components, {
        created,
        expires: expiresInMs === undefined ? undefined : created + Math.ceil(expiresInMs / 1000),
        nonce: options.nonce ? toBase64(crypto.getRandomValues(new Uint8Array(16))) : undefined,
        keyid: keyId,
        alg: includeAlgorithm ? algorithm : undefined,
      });
      const base = signatureBase(components, params, req, headers);
      const signature = await signBytes(await loadKey(), algorithm, new TextEncoder().encode(base));
      return {
        ...added,
        'Signature-Input': `${label}=${params}`,
        Signature: `${label}=:${toBase64(signature)}:`,
      };
    },
  });
}
