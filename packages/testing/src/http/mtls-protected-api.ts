import { createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { type LoopbackServer, listenOnLoopback, readBody, sendJson } from './listen.js';

/** Settings of {@link startMtlsProtectedApi}. */
export interface MtlsProtectedApiOptions {
  /** The API's own certificate and key (PEM). */
  cert: string;
  key: string;
  /**
   * The `x5t#S256` an access token is bound to (RFC 8705 §3.1, e.g. from the OpenID test
   * bed's `inspectToken`), or `undefined` when the token is not active or not bound.
   */
  tokenBinding: (accessToken: string) => string | undefined | Promise<string | undefined>;
}

/** One request as the API saw it. */
export interface MtlsRequestRecord {
  method: string;
  path: string;
  /** The SHA-256 thumbprint of the client certificate presented, if any. */
  certificateThumbprint: string | undefined;
  /** `undefined` when accepted; else why it was refused, for test failure messages. */
  refusedBecause: string | undefined;
}

/** A running API that accepts only certificate-bound tokens. */
export interface MtlsProtectedApi extends LoopbackServer {
  readonly requests: readonly MtlsRequestRecord[];
  /** Forgets the recorded requests. */
  resetRequests(): void;
}

/**
 * Starts an HTTPS resource server on 127.0.0.1 that asks every client for a certificate
 * (any issuer: RFC 8705 §3 binds the token to the certificate, not to a CA) and accepts a
 * request only with `Authorization: Bearer <token>` whose binding (`cnf.x5t#S256`) equals
 * the SHA-256 thumbprint of the certificate presented in this TLS connection (RFC 8705 §3.1).
 * It answers `200 { ok, method, path }`, or 401 `invalid_token` with `WWW-Authenticate: Bearer`.
 *
 * @param options - Its certificate and the token binding lookup.
 * @returns The running API.
 */
export async function startMtlsProtectedApi(
  options: MtlsProtectedApiOptions,
): Promise<MtlsProtectedApi> {
  const requests: MtlsRequestRecord[] = [];

  async function refusal(authorization: string | undefined, thumbprint: string | undefined) {
    const token = /^Bearer ([\x21-\x7e]+)$/.exec(authorization ?? '')?.[1];
    if (token === undefined) return 'no Authorization: Bearer <token>';
    if (thumbprint === undefined) return 'no client certificate presented';
    const bound = await options.tokenBinding(token);
    if (bound === undefined) return 'token not active or not certificate-bound';
    if (bound !== thumbprint) return 'certificate is not the one the token is bound to';
    return undefined;
  }

  const server = await listenOnLoopback(
    async (req, res) => {
      await readBody(req);
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      const thumbprint = peer?.raw
        ? createHash('sha256').update(peer.raw).digest('base64url')
        : undefined;
      const refusedBecause = await refusal(req.headers.authorization, thumbprint);
      requests.push({
        method: req.method ?? 'GET',
        path: `${url.pathname}${url.search}`,
        certificateThumbprint: thumbprint,
        refusedBecause,
      });
      if (refusedBecause !== undefined)
        return sendJson(
          res,
          401,
          { error: 'invalid_token' },
          { 'www-authenticate': 'Bearer error="invalid_token"' },
        );
      sendJson(res, 200, { ok: true, method: req.method, path: url.pathname });
    },
    {
      tls: { cert: options.cert, key: options.key, requestCert: true, rejectUnauthorized: false },
    },
  );
  return {
    ...server,
    requests,
    resetRequests() {
      requests.length = 0;
    },
  };
}
