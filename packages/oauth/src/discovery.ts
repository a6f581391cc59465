import { TokenResponseError } from '@auth/core';
import { raceSignal } from '@auth/core/internal';
import * as oauth from 'oauth4webapi';
import { withDeadline } from './internal/abort.js';
import { jsonOrThrow, readResponse } from './internal/http-response.js';
import {
  checkEndpointUrl,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUT_MS,
  positiveBytes,
  positiveMs,
} from './internal/options.js';

/**
 * What an authorization server publishes about itself (RFC 8414 §2, OpenID Connect Discovery
 * 1.0 §3), as `discover` returns it: the members providers use are typed, every other one is
 * kept as published. Declared here rather than re-exported from `oauth4webapi`, an ES module
 * only, so the CommonJS declarations (`.d.cts`) import nothing a CommonJS consumer cannot
 * `require`.
 *
 * @example
 * ```ts
 * import { type AuthorizationServerMetadata, discover } from '@auth/oauth';
 *
 * const metadata: AuthorizationServerMetadata = await discover('https://login.example.com');
 * const canRevoke = metadata.revocation_endpoint !== undefined;
 * ```
 */
export interface AuthorizationServerMetadata {
  /** The issuer identifier, an `https` URL with no query or fragment. */
  readonly issuer: string;
  /** The authorization endpoint (RFC 6749 §3.1). */
  readonly authorization_endpoint?: string;
  /** The token endpoint (RFC 6749 §3.2). */
  readonly token_endpoint?: string;
  /** The JSON Web Key Set of the server's signing keys. */
  readonly jwks_uri?: string;
  /** The dynamic client registration endpoint (RFC 7591). */
  readonly registration_endpoint?: string;
  /** The scopes the server supports. */
  readonly scopes_supported?: string[];
  /** The `response_type` values the server supports. */
  readonly response_types_supported?: string[];
  /** The grant types the server supports. */
  readonly grant_types_supported?: string[];
  /** The client authentication methods of the token endpoint. */
  readonly token_endpoint_auth_methods_supported?: string[];
  /** The JWS algorithms of client assertions at the token endpoint. */
  readonly token_endpoint_auth_signing_alg_values_supported?: string[];
  /** The revocation endpoint (RFC 7009). */
  readonly revocation_endpoint?: string;
  /** The introspection endpoint (RFC 7662). */
  readonly introspection_endpoint?: string;
  /** The PKCE code challenge methods the server supports (RFC 7636). */
  readonly code_challenge_methods_supported?: string[];
  /** The device authorization endpoint (RFC 8628). */
  readonly device_authorization_endpoint?: string;
  /** The pushed authorization request endpoint (RFC 9126). */
  readonly pushed_authorization_request_endpoint?: string;
  /** The JWS algorithms of DPoP proofs the server accepts (RFC 9449). */
  readonly dpop_signing_alg_values_supported?: string[];
  /**
   * Endpoints a client on mutual TLS uses instead of the plain ones (RFC 8705 §5), e.g.
   * `{ token_endpoint: 'https://mtls.login.example.com/token' }`.
   */
  readonly mtls_endpoint_aliases?: Readonly<Record<string, string | undefined>>;
  /** Whether the server issues certificate-bound access tokens (RFC 8705 §3.3). */
  readonly tls_client_certificate_bound_access_tokens?: boolean;
  /** The UserInfo endpoint (OpenID Connect). */
  readonly userinfo_endpoint?: string;
  /** Every other member, as published. */
  readonly [member: string]: unknown;
}

/** Options of {@link discover}. */
export interface DiscoverOptions {
  /** The `fetch` to use. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Deadline of the request in ms. Default 10 000. */
  timeoutMs?: number;
  /**
   * The largest metadata body read, in bytes; a larger one fails with `TokenResponseError`
   * code `token_response_too_large`. Default 1 MiB.
   */
  maxResponseBytes?: number;
  /** Allow plain `http:` to a host that is not loopback. Default false. */
  allowInsecureHttp?: boolean;
  /** `oidc` (`/.well-known/openid-configuration`, default) or `oauth2` (RFC 8414). */
  algorithm?: 'oidc' | 'oauth2';
  /** Aborts the request. */
  signal?: AbortSignal;
  /** Shares results: the same issuer is fetched once per cache. */
  cache?: DiscoveryCache;
  /** The clock, for `Retry-After` dates. */
  now?: () => number;
}

/**
 * Fetches and validates an issuer's metadata (OpenID Connect Discovery 1.0 §4, RFC 8414
 * §3), checking that the published `issuer` is the one asked for. With a `cache`, each
 * issuer is fetched once (a failure is not cached).
 *
 * @param issuer - The issuer identifier, e.g. `https://login.example.com`.
 * @param options - See {@link DiscoverOptions}.
 * @returns The metadata.
 * @throws {TypeError} An invalid issuer URL (plain http to a non-loopback host, user
 *   information), or an invalid `timeoutMs` / `maxResponseBytes`.
 * @throws {TokenEndpointError} Network failure, timeout, or an HTTP error.
 * @throws {TokenResponseError} A body that is not valid metadata or names another issuer,
 *   or one over `maxResponseBytes` (code `token_response_too_large`).
 * @example
 * ```ts
 * import { discover } from '@auth/oauth';
 *
 * const metadata = await discover('https://login.example.com');
 * console.log(metadata.token_endpoint);
 * ```
 */
export function discover(
  issuer: string | URL,
  options: DiscoverOptions = {},
): Promise<AuthorizationServerMetadata> {
  const issuerUrl = checkEndpointUrl('issuer', issuer, options.allowInsecureHttp);
  if (options.cache) return options.cache.get(issuerUrl, options);
  return fetchMetadata(issuerUrl, options);
}

/**
 * Remembers discovered metadata per issuer so several providers share one request.
 * Concurrent lookups share one flight; a failed lookup is forgotten.
 *
 * @example
 * ```ts
 * import { DiscoveryCache, clientCredentials } from '@auth/oauth';
 *
 * const discoveryCache = new DiscoveryCache();
 * const issuer = 'https://login.example.com';
 * const a = clientCredentials({ issuer, clientId: 'a', clientSecret: process.env.A_SECRET!, discoveryCache });
 * const b = clientCredentials({ issuer, clientId: 'b', clientSecret: process.env.B_SECRET!, discoveryCache });
 * ```
 */
export class DiscoveryCache {
  readonly #entries = new Map<string, Promise<AuthorizationServerMetadata>>();

  /**
   * The metadata of `issuer`, fetched once.
   *
   * @param issuer - The issuer URL.
   * @param options - How to fetch it on a miss.
   * @returns The metadata.
   * @throws See {@link discover}.
   */
  get(
    issuer: URL,
    options: Omit<DiscoverOptions, 'cache'> = {},
  ): Promise<AuthorizationServerMetadata> {
    const key = `${options.algorithm ?? 'oidc'} ${issuer.href}`;
    let pending = this.#entries.get(key);
    if (!pending) {
      // Shared by every caller: only its own timeout ends it, never one caller's signal.
      pending = fetchMetadata(issuer, { ...options, signal: undefined });
      this.#entries.set(key, pending);
      pending.catch(() => this.#entries.delete(key));
    }
    return raceSignal(pending, options.signal);
  }

  /** Forgets every entry (e.g. after a key rotation at the issuer). */
  clear(): void {
    this.#entries.clear();
  }
}

async function fetchMetadata(
  issuer: URL,
  options: Omit<DiscoverOptions, 'cache'>,
): Promise<AuthorizationServerMetadata> {
  const timeoutMs = positiveMs('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS);
  const maxBytes = positiveBytes(
    'maxResponseBytes',
    options.maxResponseBytes,
    DEFAULT_MAX_RESPONSE_BYTES,
  );
  const now = options.now ?? Date.now;
  const what = `discovery of ${issuer.href}`;
  const read = await withDeadline(what, timeoutMs, options.signal, async (signal) =>
    readResponse(
      await oauth.discoveryRequest(issuer, {
        algorithm: options.algorithm,
        signal,
        [oauth.customFetch]: options.fetch,
        [oauth.allowInsecureRequests]: issuer.protocol === 'http:',
      }),
      maxBytes,
    ),
  );
  jsonOrThrow(what, read, now);
  try {
    return await oauth.processDiscoveryResponse(
      issuer,
      new Response(read.text, { status: read.status, headers: read.headers }),
    );
  } catch (error) {
    throw new TokenResponseError(`${what} returned invalid metadata: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
