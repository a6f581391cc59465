import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type LoopbackServer,
  type LoopbackServerOptions,
  listenOnLoopback,
  readBody,
  sendJson,
} from './listen.js';

/** A fault the token server injects into its next responses. */
export type TokenServerFault =
  /** An HTTP error with a plain-text body (e.g. 500, 502, 503). */
  | { kind: 'status'; status: number }
  /** 429 with `Retry-After` (seconds). */
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  /** An RFC 6749 §5.2 error body. */
  | { kind: 'oauth-error'; error: string; status?: number; description?: string }
  /** 200 with a body that is not JSON. */
  | { kind: 'non-json' }
  /** 200 with JSON that has no `access_token`. */
  | { kind: 'no-access-token' }
  /** Accepts the request and never answers. */
  | { kind: 'hang' }
  /** Accepts the request and answers it as usual once `until` settles (the test releases it). */
  | { kind: 'hold'; until: Promise<unknown> };

/** Settings of {@link startTokenServer}. */
export interface TokenServerOptions extends LoopbackServerOptions {
  /** `expires_in` of issued access tokens, in seconds. Default 3600. */
  lifetimeSeconds?: number;
  /** Delay before each answer, in ms. Default 0. */
  delayMs?: number;
  /** Issue refresh tokens. Default true. */
  issueRefreshTokens?: boolean;
  /** Client id → secret; both `client_secret_basic` and `client_secret_post` are accepted. Default `{ 'test-client': 'test-secret' }`. */
  clients?: Record<string, string>;
  /** The clock that times token expiry and outages. Default `Date.now`. */
  now?: () => number;
}

/** One token request as the server saw it. */
export interface TokenRequestRecord {
  grantType: string | null;
  clientId: string | undefined;
  /** The form fields of the request, with secrets present (for assertions in tests). */
  params: Record<string, string>;
  headers: IncomingMessage['headers'];
}

/** A running token server. */
export interface TokenServer extends LoopbackServer {
  /** The token endpoint: `<url>/token`. */
  tokenUrl: string;
  /** Token requests received so far (including failed and hanging ones). */
  readonly requestCount: number;
  /** Every token request received. */
  readonly requests: readonly TokenRequestRecord[];
  /** Answers the next `times` token requests with `fault`. */
  failNext(fault: TokenServerFault, times?: number): void;
  /**
   * An outage that begins with the next token request: that request and every one in the
   * following `durationMs` get `fault` (default 503).
   */
  failFromNextRequestFor(durationMs: number, fault?: TokenServerFault): void;
  /** Changes the delay before each answer. */
  setDelayMs(ms: number): void;
  /** Changes the lifetime of tokens issued from now on. */
  setLifetimeSeconds(seconds: number): void;
  /** Whether the server issued `accessToken`, has not revoked it, and it has not expired. */
  isActive(accessToken: string): boolean;
  /** Revokes an access or refresh token. */
  revoke(token: string): void;
  /** Resets the request count and log. */
  resetCount(): void;
}

/**
 * Starts a small OAuth 2.0 token endpoint on 127.0.0.1 that issues opaque tokens for the
 * `client_credentials`, `password` and `refresh_token` grants (refresh tokens rotate),
 * counts requests, and injects faults on demand: delays, 5xx bursts, 429 with
 * `Retry-After`, OAuth errors, non-JSON bodies, a 200 without `access_token`, a hang, an
 * answer held until the test releases it.
 *
 * @param options - See {@link TokenServerOptions}.
 * @returns The running server; `close()` it after the test.
 */
export async function startTokenServer(options: TokenServerOptions = {}): Promise<TokenServer> {
  let lifetimeSeconds = options.lifetimeSeconds ?? 3600;
  let delayMs = options.delayMs ?? 0;
  const clients = options.clients ?? { 'test-client': 'test-secret' };
  const issueRefreshTokens = options.issueRefreshTokens ?? true;
  const now = options.now ?? Date.now;
  const faults: TokenServerFault[] = [];
  let outage: { durationMs: number; fault: TokenServerFault; endsAt?: number } | undefined;
  const requests: TokenRequestRecord[] = [];
  const accessTokens = new Map<string, number>();
  const refreshTokens = new Set<string>();

  const issue = (res: ServerResponse, scope: string | undefined) => {
    const accessToken = randomBytes(24).toString('base64url');
    accessTokens.set(accessToken, now() + lifetimeSeconds * 1000);
    const body: Record<string, unknown> = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: lifetimeSeconds,
    };
    if (scope) body.scope = scope;
    if (issueRefreshTokens) {
      const refreshToken = randomBytes(24).toString('base64url');
      refreshTokens.add(refreshToken);
      body.refresh_token = refreshToken;
    }
    sendJson(res, 200, body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || !req.url?.startsWith('/token'))
      return sendJson(res, 404, { error: 'not_found' });
    const params = Object.fromEntries(new URLSearchParams(await readBody(req)));
    const credentials = clientCredentialsOf(req, params);
    requests.push({
      grantType: params.grant_type ?? null,
      clientId: credentials?.id,
      params,
      headers: req.headers,
    });
    let fault = faults.shift() ?? outageFault();
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'hold') {
      await fault.until.catch(() => undefined);
      fault = undefined;
    }
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (fault) return sendFault(res, fault);
    if (!credentials || clients[credentials.id] !== credentials.secret) {
      return sendJson(res, 401, {
        error: 'invalid_client',
        error_description: 'client authentication failed',
      });
    }
    switch (params.grant_type) {
      case 'client_credentials':
      case 'password':
        return issue(res, params.scope);
      case 'refresh_token': {
        const presented = params.refresh_token ?? '';
        if (!refreshTokens.delete(presented)) {
          return sendJson(res, 400, {
            error: 'invalid_grant',
            error_description: 'refresh token is invalid',
          });
        }
        return issue(res, params.scope);
      }
      default:
        return sendJson(res, 400, { error: 'unsupported_grant_type' });
    }
  };

  const outageFault = (): TokenServerFault | undefined => {
    if (!outage) return undefined;
    outage.endsAt ??= now() + outage.durationMs;
    if (now() < outage.endsAt) return outage.fault;
    outage = undefined;
    return undefined;
  };

  const server = await listenOnLoopback(handle, { cors: options.cors });
  return {
    ...server,
    tokenUrl: `${server.url}/token`,
    get requestCount() {
      return requests.length;
    },
    requests,
    failNext(fault, times = 1) {
      for (let i = 0; i < times; i++) faults.push(fault);
    },
    failFromNextRequestFor(durationMs, fault = { kind: 'status', status: 503 }) {
      outage = { durationMs, fault };
    },
    setDelayMs(ms) {
      delayMs = ms;
    },
    setLifetimeSeconds(seconds) {
      lifetimeSeconds = seconds;
    },
    isActive(accessToken) {
      const expiresAt = accessTokens.get(accessToken);
      return expiresAt !== undefined && now() < expiresAt;
    },
    revoke(token) {
      accessTokens.delete(token);
      refreshTokens.delete(token);
    },
    resetCount() {
      requests.length = 0;
    },
  };
}

function clientCredentialsOf(
  req: IncomingMessage,
  params: Record<string, string>,
): { id: string; secret: string } | undefined {
  const header = req.headers.authorization;
  if (header?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    // RFC 6749 §2.3.1: id and secret are form-urlencoded before Base64.
    const formDecode = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));
    return {
      id: formDecode(decoded.slice(0, colon)),
      secret: formDecode(decoded.slice(colon + 1)),
    };
  }
  if (params.client_id !== undefined)
    return { id: params.client_id, secret: params.client_secret ?? '' };
  return undefined;
}

function sendFault(
  res: ServerResponse,
  fault: Exclude<TokenServerFault, { kind: 'hang' | 'hold' }>,
): void {
  switch (fault.kind) {
    case 'status':
      res.writeHead(fault.status, { 'content-type': 'text/plain' });
      res.end('injected failure');
      break;
    case 'rate-limit':
      res.writeHead(429, {
        'content-type': 'text/plain',
        'retry-after': String(fault.retryAfterSeconds),
      });
      res.end('slow down');
      break;
    case 'oauth-error':
      sendJson(res, fault.status ?? 400, {
        error: fault.error,
        error_description: fault.description,
      });
      break;
    case 'non-json':
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>not a token</html>');
      break;
    case 'no-access-token':
      sendJson(res, 200, { token_type: 'Bearer', expires_in: 3600 });
      break;
  }
}
