import { createHash, type KeyObject, verify } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type LoopbackServer, listenOnLoopback, sendJson } from './listen.js';

/** One request as the verifying server saw it. */
export interface VerifiedRequest {
  method: string;
  /** Path and query as sent. */
  target: string;
  body: Buffer;
  /** Whether the signature checked out against the public key. */
  verified: boolean;
  /** Why not, when it did not. */
  reason: string | undefined;
}

/** A loopback API that accepts only correctly signed requests (401 otherwise). */
export interface VerifyingServer extends LoopbackServer {
  readonly requests: VerifiedRequest[];
}

/** Checks a request's signature; returns why it is wrong, or `undefined` when it is right. */
export type SignatureCheck = (req: IncomingMessage, body: Buffer) => string | undefined;

/**
 * Starts an API on 127.0.0.1 that verifies every request with `check` (an independent
 * verifier on `node:crypto`, sharing no code with the signing strategies) and answers
 * `200 { verified: true }` or `401 { reason }`.
 */
export async function startVerifyingServer(check: SignatureCheck): Promise<VerifyingServer> {
  const requests: VerifiedRequest[] = [];
  const server = await listenOnLoopback(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    let reason: string | undefined;
    try {
      reason = check(req, body);
    } catch (error) {
      reason = `verifier failed: ${(error as Error).message}`;
    }
    requests.push({
      method: req.method ?? 'GET',
      target: req.url ?? '/',
      body,
      verified: reason === undefined,
      reason,
    });
    if (reason !== undefined) return sendJson(res, 401, { reason });
    sendJson(res, 200, { verified: true, bodyLength: body.length });
  });
  return { ...server, requests };
}

/**
 * The `signedKeyAuth` scheme, verified from scratch: `Authorization: Secure <id>:<sig>` and
 * `Date`, the signature ECDSA P-256/SHA-256 in DER over
 * `<path with query>|<hex SHA-256 of the body>|<Date>`.
 */
export function secureSchemeCheck(publicKeyId: string, publicKey: KeyObject): SignatureCheck {
  return (req, body) => {
    const match = /^Secure ([^:]+):(.+)$/.exec(req.headers.authorization ?? '');
    if (!match) return 'no Secure authorization';
    if (match[1] !== publicKeyId) return 'unknown public key id';
    const timestamp = req.headers.date;
    if (!timestamp || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(timestamp))
      return 'Date is not ISO-8601 UTC to the second';
    const message = `${req.url}|${createHash('sha256').update(body).digest('hex')}|${timestamp}`;
    const signature = Buffer.from(match[2]!, 'base64');
    const ok = verify(
      'sha256',
      Buffer.from(message),
      { key: publicKey, dsaEncoding: 'der' },
      signature,
    );
    return ok ? undefined : 'bad signature';
  };
}

/**
 * RFC 9421 verification of `Signature-Input`/`Signature` (label `sig1`) with an Ed25519
 * key, covering `@method`, `@target-uri` and `content-digest`, plus the RFC 9530
 * `Content-Digest` of the body.
 */
export function httpSignatureCheck(keyId: string, publicKey: KeyObject): SignatureCheck {
  return (req, body) => {
    const digest = `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
    if (req.headers['content-digest'] !== digest) return 'Content-Digest does not match the body';
    const input = /^sig1=(\(([^)]*)\)(.*))$/.exec(String(req.headers['signature-input'] ?? ''));
    if (!input) return 'no sig1 Signature-Input';
    const [, params, list, rest] = input;
    if (!rest!.includes(`;keyid="${keyId}"`) || !/;created=\d+/.test(rest!))
      return 'missing keyid or created';
    const components = list!.split(' ').map((item) => JSON.parse(item) as string);
    if (components.join(' ') !== '@method @target-uri content-digest')
      return `unexpected components ${components.join(' ')}`;
    const targetUri = `http://${req.headers.host}${req.url}`;
    const values: Record<string, string> = {
      '@method': req.method ?? '',
      '@target-uri': targetUri,
      'content-digest': digest,
    };
    const base = [
      ...components.map((name) => `"${name}": ${values[name]}`),
      `"@signature-params": ${params}`,
    ].join('\n');
    const signature = /^sig1=:([^:]+):$/.exec(String(req.headers.signature ?? ''));
    if (!signature) return 'no sig1 Signature';
    const ok = verify(null, Buffer.from(base), publicKey, Buffer.from(signature[1]!, 'base64'));
    return ok ? undefined : 'bad signature';
  };
}
