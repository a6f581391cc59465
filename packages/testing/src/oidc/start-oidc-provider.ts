import type { IncomingMessage, ServerResponse } from 'node:http';
import { Provider } from 'oidc-provider';
import { listenOnLoopback, readBody, sendJson } from '../http/listen.js';
import { createTestClients, GRANT_TYPES, type TestClients, type TestKeys } from './clients.js';
import { type TestBedTimings, testBedConfiguration } from './configuration.js';
import { approveDeviceCode, denyDeviceCode } from './device-approval.js';
import {
  completeAuthorizationLogin,
  handleInteraction,
  type LoginCredentials,
} from './interactions.js';
import { registerJwtBearerGrant } from './jwt-bearer-grant.js';
import {
  enableMutualTls,
  type MutualTlsEndpoints,
  type MutualTlsOptions,
  mutualTlsClientMetadata,
  mutualTlsEndpoints,
} from './mutual-tls.js';
import { registerPasswordGrant } from './password-grant.js';
import { registerTokenExchangeGrant } from './token-exchange-grant.js';
import { type IssuedTokenInfo, inspectIssuedToken } from './token-inspection.js';
import { TEST_USERS, type TestUser, totpCode } from './users.js';

/** Settings of {@link startOidcProvider}. Lifetimes in seconds (oidc-provider's unit). */
export interface OidcProviderOptions extends Partial<TestBedTimings> {
  /** The users who may log in. Default {@link TEST_USERS} (`alice`; `bob` with TOTP). */
  users?: readonly TestUser[];
  /**
   * Adds an HTTPS listener asking for client certificates, with RFC 8705 on (both TLS client
   * authentication methods, certificate-bound tokens) and its endpoints published as
   * `mtls_endpoint_aliases`; the issuer stays on plain HTTP. Default: none.
   */
  mutualTls?: MutualTlsOptions;
}

/** A token request as the test bed received it (secrets included: for assertions only). */
export interface OidcTokenRequestRecord {
  grantType: string | null;
  params: Record<string, string>;
  authorization: string | undefined;
}

/** A running OpenID provider test bed. */
export interface OidcTestBed {
  /** The issuer, `http://127.0.0.1:<port>`; discovery is at `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  tokenUrl: string;
  revocationUrl: string;
  deviceAuthorizationUrl: string;
  authorizationUrl: string;
  /** The registered clients and their credentials. */
  clients: TestClients;
  /** The users who may log in. */
  users: readonly TestUser[];
  /** The mTLS listener's endpoints, when started with `mutualTls`. */
  mutualTls: MutualTlsEndpoints | undefined;
  /** Who may sign JWT-bearer assertions for this provider, and with which key. */
  assertionIssuer: TestKeys['assertionIssuer'];
  /** Every token endpoint request received. */
  readonly tokenRequests: readonly OidcTokenRequestRecord[];
  /** Lifetime of access tokens issued from now on. */
  setAccessTokenTtlSeconds(seconds: number): void;
  /** Lifetime of device codes issued from now on. */
  setDeviceCodeTtlSeconds(seconds: number): void;
  /** The polling `interval` advertised from now on. */
  setDevicePollIntervalSeconds(seconds: number): void;
  /**
   * Makes the token endpoint demand a DPoP nonce (RFC 9449 §8) from now on: a proof
   * without a current nonce gets `400 use_dpop_nonce` and a `DPoP-Nonce` header.
   */
  requireDPoPNonce(required: boolean): void;
  /** Answers the next `times` device-code polls with `slow_down` (RFC 8628 §3.5). */
  slowDownNextDevicePolls(times?: number): void;
  /** The current TOTP code of a user who has a TOTP secret. */
  totp(username: string, atMs?: number): string;
  /** Approves a device `user_code` as `username` had done it in a browser. */
  approveDevice(userCode: string, username: string): Promise<void>;
  /** Denies a device `user_code`. */
  denyDevice(userCode: string): Promise<void>;
  /** Logs `credentials` in through the interaction pages; returns the client's redirect URL. */
  completeLogin(authorizationUrl: string | URL, credentials: LoginCredentials): Promise<URL>;
  /** What the provider knows of an access or refresh token, or `undefined` when it is not active. */
  inspectToken(token: string): Promise<IssuedTokenInfo | undefined>;
  /** Stops the server. */
  close(): Promise<void>;
}

/**
 * Starts a real `oidc-provider` in-process on 127.0.0.1 on a free port (plain http), with
 * clients for client credentials (`client_secret_basic`, `client_secret_post`,
 * `private_key_jwt`, `none`, and one with awkward characters), the password grant (custom
 * grant type, optional `totp`), refresh tokens (always rotated), the device authorization
 * grant, authorization code + PKCE for a native loopback client, RFC 8693 token exchange,
 * the RFC 7523 JWT bearer grant, revocation, introspection and DPoP (RFC 9449); with
 * `mutualTls`, also mutual TLS (RFC 8705) on a second, HTTPS listener.
 *
 * @param options - Token lifetimes and users.
 * @returns The running test bed; `close()` it after the test.
 * @example
 * ```ts
 * const bed = await startOidcProvider({ accessTokenTtlSeconds: 60 });
 * const { clientId, clientSecret } = bed.clients.basic;
 * // … clientCredentials({ issuer: bed.issuer, clientId, clientSecret })
 * await bed.close();
 * ```
 */
export async function startOidcProvider(options: OidcProviderOptions = {}): Promise<OidcTestBed> {
  const users = options.users ?? TEST_USERS;
  const timings: TestBedTimings = {
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
    refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 86_400,
    deviceCodeTtlSeconds: options.deviceCodeTtlSeconds ?? 600,
    devicePollIntervalSeconds: options.devicePollIntervalSeconds ?? 1,
  };
  const tokenRequests: OidcTokenRequestRecord[] = [];
  let slowDowns = 0;
  let dpopNonceRequired = false;
  let handleProvider: (req: IncomingMessage, res: ServerResponse) => void = () => {};
  let provider: Provider | undefined;
  const record = (params: Record<string, string>, authorization: string | undefined) => {
    tokenRequests.push({ grantType: params.grant_type ?? null, params, authorization });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (!provider) return sendJson(res, 503, { error: 'temporarily_unavailable' });
    if (path.startsWith('/interaction/')) return handleInteraction(provider, users, req, res);
    if (req.method === 'POST' && path === '/token' && slowDowns > 0) {
      // Only while a slow_down is queued is the body read here, to see the grant type.
      const body = await readBody(req);
      const params = Object.fromEntries(new URLSearchParams(body));
      if (params.grant_type === GRANT_TYPES.deviceCode) {
        slowDowns--;
        record(params, req.headers.authorization);
        return sendJson(res, 400, { error: 'slow_down', error_description: 'poll less often' });
      }
      // oidc-provider reads an already consumed body from `req.body`.
      (req as IncomingMessage & { body?: string }).body = body;
    }
    handleProvider(req, res);
  };
  const server = await listenOnLoopback(handle);
  const mtlsServer = options.mutualTls
    ? await listenOnLoopback(handle, {
        tls: {
          ...options.mutualTls.server,
          ca: options.mutualTls.caCert,
          requestCert: true,
          rejectUnauthorized: false, // self-signed client certificates are checked by thumbprint
        },
      })
    : undefined;
  const mtlsEndpoints = mtlsServer ? mutualTlsEndpoints(mtlsServer.url) : undefined;

  const { clients, metadata, keys } = await createTestClients();
  const configuration = testBedConfiguration({
    clients: [...metadata, ...mutualTlsClientMetadata(options.mutualTls?.clients ?? [])],
    keys,
    users,
    timings,
    requireDPoPNonce: () => dpopNonceRequired,
  });
  if (mtlsEndpoints) enableMutualTls(configuration, mtlsEndpoints);
  provider = new Provider(server.url, configuration);
  registerPasswordGrant(provider, users);
  const exchanged = new Map<string, Record<string, unknown>>();
  registerTokenExchangeGrant(provider, (token, extra) => exchanged.set(token, extra));
  registerJwtBearerGrant(provider, keys.assertionIssuer, users);
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.method === 'POST' && ctx.path === '/token' && ctx.oidc?.body) {
      const params = Object.fromEntries(
        Object.entries(ctx.oidc.body).map(([name, value]) => [name, String(value)]),
      );
      record(params, ctx.get('authorization') || undefined);
    }
    if (ctx.path === '/device/auth' && ctx.status === 200 && typeof ctx.body === 'object')
      (ctx.body as Record<string, unknown>).interval = timings.devicePollIntervalSeconds;
  });
  handleProvider = provider.callback() as typeof handleProvider;
  const active = provider;

  return {
    issuer: server.url,
    tokenUrl: `${server.url}/token`,
    revocationUrl: `${server.url}/token/revocation`,
    deviceAuthorizationUrl: `${server.url}/device/auth`,
    authorizationUrl: `${server.url}/auth`,
    clients,
    users,
    mutualTls: mtlsEndpoints,
    assertionIssuer: keys.assertionIssuer,
    tokenRequests,
    setAccessTokenTtlSeconds: (seconds) => {
      timings.accessTokenTtlSeconds = seconds;
    },
    setDeviceCodeTtlSeconds: (seconds) => {
      timings.deviceCodeTtlSeconds = seconds;
    },
    setDevicePollIntervalSeconds: (seconds) => {
      timings.devicePollIntervalSeconds = seconds;
    },
    requireDPoPNonce: (required) => {
      dpopNonceRequired = required;
    },
    slowDownNextDevicePolls: (times = 1) => {
      slowDowns += times;
    },
    totp: (username, atMs) => {
      const secret = users.find((user) => user.username === username)?.totpSecret;
      if (!secret) throw new Error(`${username} has no TOTP secret`);
      return totpCode(secret, atMs);
    },
    approveDevice: (userCode, username) => approveDeviceCode(active, users, userCode, username),
    denyDevice: (userCode) => denyDeviceCode(active, userCode),
    completeLogin: (authorizationUrl, credentials) =>
      completeAuthorizationLogin(server.url, authorizationUrl, credentials),
    inspectToken: (token) => inspectIssuedToken(active, token, exchanged),
    close: async () => {
      await Promise.all([server.close(), mtlsServer?.close()]);
    },
  };
}
