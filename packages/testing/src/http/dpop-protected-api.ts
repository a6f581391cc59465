import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { calculateJwkThumbprint, EmbeddedJWK, type JWK, jwtVerify } from 'jose';
import { type LoopbackServer, listenOnLoopback, readBody, sendJson } from './listen.js';

/** Settings of {@link startDPoPProtectedApi}. */
export interface DPoPProtectedApiOptions {
  /**
   * The JWK thumbprint an access token is bound to (its `cnf.jkt`, e.g. from the OpenID
   * test bed's `inspectToken`), or `undefined` when the token is not active or not bound.
   */
  tokenBinding: (accessToken: string) => string | undefined | Promise<string | undefined>;
  /** How far a proof's `iat` may be from now, in seconds. Default 60. */
  maxProofAgeSeconds?: number;
  /** The clock (epoch ms). Default `Date.now`. */
  now?: () => number;
}

/** The claims of a proof the API accepted or refused. */
export interface DPoPProofClaims {
  jti: string;
  htm: string;
  htu: string;
  iat: number;
  ath: string | undefined;
  nonce: string | undefined;
}

/** One request as the API saw it. */
export interface DPoPRequestRecord {
  method: string;
  path: string;
  body: string;
  /** `undefined` when accepted; else the error code sent (`invalid_dpop_proof`, `invalid_token`, `use_dpop_nonce`). */
  refusedWith: string | undefined;
  /** Why it was refused, for test failure messages. */
  reason: string | undefined;
  /** The proof's claims, once its signature checked out. */
  proof: DPoPProofClaims | undefined;
}

/** A running DPoP-protected API. */
export interface DPoPProtectedApi extends LoopbackServer {
  readonly requests: readonly DPoPRequestRecord[];
  /** Forgets the recorded requests. */
  resetRequests(): void;
  /** From now on, demand the current nonce in every proof (RFC 9449 §9), or stop demanding it. */
  requireNonce(required: boolean): void;
  /** Issues a new nonce; proofs with the old one are answered `use_dpop_nonce`. */
  rotateNonce(): string;
}

class Refusal extends Error {
  constructor(
    readonly code: 'invalid_dpop_proof' | 'invalid_token' | 'use_dpop_nonce',
    reason: string,
  ) {
    super(reason);
  }
}

/**
 * Starts a resource server on 127.0.0.1 that accepts only DPoP-bound tokens presented with
 * a valid proof (RFC 9449 §4.3, §7.1): `Authorization: DPoP <token>` and one `DPoP` header
 * whose JWS (`typ: dpop+jwt`, ES256 or EdDSA) verifies against its own `jwk` header, with
 * `htm` and `htu` matching the request, `iat` within `maxProofAgeSeconds`, an unused `jti`,
 * `ath` the SHA-256 of the token, the current `nonce` while one is required, and the key's
 * thumbprint equal to the token's `cnf.jkt`. It answers `200 { ok, method, path }`, or 401
 * with `WWW-Authenticate: DPoP error="…"` (plus `DPoP-Nonce` for `use_dpop_nonce`).
 *
 * @param options - The token binding lookup, proof age and clock.
 * @returns The running API.
 */
export async function startDPoPProtectedApi(
  options: DPoPProtectedApiOptions,
): Promise<DPoPProtectedApi> {
  const now = options.now ?? Date.now;
  const maxAge = options.maxProofAgeSeconds ?? 60;
  const requests: DPoPRequestRecord[] = [];
  const seenJtis = new Set<string>();
  let nonceRequired = false;
  let nonce = randomBytes(16).toString('base64url');

  async function check(req: IncomingMessage, origin: string, record: DPoPRequestRecord) {
    const match = /^DPoP ([\x21-\x7e]+)$/.exec(req.headers.authorization ?? '');
    if (!match) throw new Refusal('invalid_token', 'no Authorization: DPoP <token>');
    const token = match[1]!;
    const proof = req.headers.dpop;
    if (typeof proof !== 'string' || proof.includes(','))
      throw new Refusal('invalid_dpop_proof', 'not exactly one DPoP header');
    let verified: Awaited<ReturnType<typeof jwtVerify>>;
    try {
      verified = await jwtVerify(proof, EmbeddedJWK, {
        typ: 'dpop+jwt',
        algorithms: ['ES256', 'EdDSA'],
      });
    } catch (error) {
      throw new Refusal('invalid_dpop_proof', `signature: ${(error as Error).message}`);
    }
    const { payload, protectedHeader } = verified;
    const claims: DPoPProofClaims = {
      jti: String(payload.jti),
      htm: String(payload.htm),
      htu: String(payload.htu),
      iat: Number(payload.iat),
      ath: typeof payload.ath === 'string' ? payload.ath : undefined,
      nonce: typeof payload.nonce === 'string' ? payload.nonce : undefined,
    };
    record.proof = claims;
    if (typeof payload.jti !== 'string' || payload.jti.length < 16)
      throw new Refusal('invalid_dpop_proof', 'jti missing or too short');
    if (seenJtis.has(payload.jti)) throw new Refusal('invalid_dpop_proof', 'jti replayed');
    seenJtis.add(payload.jti);
    const url = new URL(req.url ?? '/', origin);
    if (claims.htm !== req.method) throw new Refusal('invalid_dpop_proof', 'htm mismatch');
    if (claims.htu !== `${url.origin}${url.pathname}`)
      throw new Refusal('invalid_dpop_proof', 'htu mismatch');
    if (!Number.isFinite(claims.iat) || Math.abs(now() / 1000 - claims.iat) > maxAge)
      throw new Refusal('invalid_dpop_proof', 'iat out of range');
    if (claims.ath !== createHash('sha256').update(token).digest('base64url'))
      throw new Refusal('invalid_dpop_proof', 'ath mismatch');
    if (nonceRequired && claims.nonce !== nonce)
      throw new Refusal('use_dpop_nonce', 'the current nonce is required');
    const bound = await options.tokenBinding(token);
    if (bound === undefined) throw new Refusal('invalid_token', 'token not active or not bound');
    if ((await calculateJwkThumbprint(protectedHeader.jwk as JWK)) !== bound)
      throw new Refusal('invalid_token', 'proof key is not the key the token is bound to');
  }

  const server = await listenOnLoopback(async (req, res) => {
    const body = await readBody(req);
    const origin = `http://${req.headers.host}`;
    const url = new URL(req.url ?? '/', origin);
    const record: DPoPRequestRecord = {
      method: req.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      body,
      refusedWith: undefined,
      reason: undefined,
      proof: undefined,
    };
    requests.push(record);
    try {
      await check(req, origin, record);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      record.refusedWith = error.code;
      record.reason = error.message;
      const headers: Record<string, string> = {
        'www-authenticate': `DPoP error="${error.code}", algs="ES256 EdDSA"`,
      };
      if (error.code === 'use_dpop_nonce') headers['dpop-nonce'] = nonce;
      return sendJson(res, 401, { error: error.code }, headers);
    }
    sendJson(res, 200, { ok: true, method: req.method, path: url.pathname });
  });
  return {
    ...server,
    requests,
    resetRequests() {
      requests.length = 0;
    },
    requireNonce(required) {
      nonceRequired = required;
    },
    rotateNonce() {
      nonce = randomBytes(16).toString('base64url');
      return nonce;
    },
  };
}
