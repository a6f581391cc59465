import {
  accessTokenHash,
  type DPoPAlgorithm,
  dpopAlgorithmOf,
  publicJwk,
  signProof,
} from '../internal/crypto/dpop-proof.js';
import { redacted } from '../internal/redaction.js';
import type { TokenSet } from '../token-set.js';
import type { AuthRequest, AuthStrategy } from './auth-strategy.js';
import type { TokenManagerLike } from './token-auth.js';

/** Options of {@link dpopAuth}. */
export interface DPoPAuthOptions {
  /**
   * The key pair the manager's tokens are bound to: the one given to the provider's `dpop`
   * option (`generateDPoPKeyPair()`, or any ECDSA P-256 / Ed25519 `CryptoKeyPair`).
   */
  keyPair: CryptoKeyPair;
  /** The clock for the proofs' `iat`. Default `Date.now`. */
  now?: () => number;
}

/** How many origins' nonces are remembered (the oldest is forgotten first). */
const MAX_NONCES = 100;
const USE_DPOP_NONCE = /\bDPoP\b.*\berror\s*=\s*"?use_dpop_nonce\b/i;

/**
 * DPoP (RFC 9449 §7): sends a manager's sender-constrained token as
 * `Authorization: DPoP <token>` with a fresh `DPoP` proof per request, signed with the key
 * the token is bound to: `htm`, `htu` (without query and fragment), `ath` (Base64url SHA-256
 * of the token), `iat`, a random `jti`, and the server's `nonce` once it asked for one.
 *
 * On a 401:
 * - `WWW-Authenticate: DPoP error="use_dpop_nonce"` with a `DPoP-Nonce` (§9): the nonce is
 *   remembered for the origin and the request retried with it, without touching the token.
 *   If the refused proof already carried that nonce, it is not retried again.
 * - anything else: as {@link tokenAuth}, one `forceRefresh({ rejected })` with the token
 *   that was sent, then a retry.
 *
 * @param manager - The manager whose tokens are bound to `keyPair` (a provider with the `dpop` option).
 * @param options - `keyPair`, `now`.
 * @returns The strategy.
 * @throws {TypeError} A missing manager, or a key pair that cannot sign DPoP proofs.
 * @see https://www.rfc-editor.org/rfc/rfc9449
 * @example
 * ```ts
 * import { TokenManager, dpopAuth, generateDPoPKeyPair } from '@auth/core';
 * import { createAuthFetch } from '@auth/fetch';
 * import { clientCredentials } from '@auth/oauth';
 *
 * const keyPair = await generateDPoPKeyPair();
 * const manager = new TokenManager({
 *   provider: clientCredentials({
 *     issuer: 'https://login.example.com',
 *     clientId: 'svc',
 *     clientSecret: process.env.CLIENT_SECRET!,
 *     dpop: keyPair,
 *   }),
 * });
 * const api = createAuthFetch({ auth: dpopAuth(manager, { keyPair }), baseUrl: 'https://api.example.com' });
 * ```
 */
export function dpopAuth(manager: TokenManagerLike, options: DPoPAuthOptions): AuthStrategy {
  if (typeof manager?.getToken !== 'function' || typeof manager.forceRefresh !== 'function') {
    throw new TypeError('dpopAuth needs a TokenManager');
  }
  const { keyPair, now = Date.now } = options ?? ({} as DPoPAuthOptions);
  const alg: DPoPAlgorithm = dpopAlgorithmOf(keyPair);
  let jwk: Promise<Record<string, string>> | undefined;
  // `ath` changes only with the token: hashed once per token, not per request.
  let hashed: { tokens: TokenSet; ath: Promise<string> } | undefined;
  const nonces = new Map<string, string>();
  // What each request carried, for its 401: the tokens (to name the rejected one) and the nonce.
  const sent = new WeakMap<AuthRequest, { tokens: TokenSet; nonce: string | undefined }>();
  const remember = (origin: string, nonce: string) => {
    nonces.delete(origin);
    if (nonces.size >= MAX_NONCES) nonces.delete(nonces.keys().next().value!);
    nonces.set(origin, nonce);
  };
  const thumbprint = (keyPair as { thumbprint?: unknown }).thumbprint;
  const summary = () => ({
    type: 'dpop',
    key: manager.key,
    alg,
    thumbprint: typeof thumbprint === 'string' ? thumbprint : undefined,
  });

  return redacted('dpopAuth', summary, {
    async authenticate(req) {
      const token = manager.peekToken?.() ?? (await manager.getToken({ signal: req.signal }));
      jwk ??= publicJwk(keyPair.publicKey, alg);
      if (hashed?.tokens !== token)
        hashed = { tokens: token, ath: accessTokenHash(token.accessToken) };
      const nonce = nonces.get(req.url.origin);
      const proof = await signProof(keyPair.privateKey, alg, await jwk, {
        method: req.method,
        url: req.url,
        ath: await hashed.ath,
        nonce,
        now: now(),
      });
      sent.set(req, { tokens: token, nonce });
      return { Authorization: `DPoP ${token.accessToken}`, DPoP: proof };
    },
    async onUnauthorized({ request, response }) {
      const carried = sent.get(request);
      const nonce = response.headers.get('dpop-nonce');
      if (nonce && USE_DPOP_NONCE.test(response.headers.get('www-authenticate') ?? '')) {
        if (carried?.nonce === nonce) return false;
        remember(request.url.origin, nonce);
        return true;
      }
      // As tokenAuth: the callers refused for the same token share one renewal.
      await manager.forceRefresh({ rejected: carried?.tokens, signal: request.signal });
      return true;
    },
  });
}
