import { AuthError } from '@auth/core';
import type * as oauth from 'oauth4webapi';
import { type AuthorizationServerMetadata, DiscoveryCache } from '../discovery.js';
import type { EndpointOptions } from '../endpoint-options.js';
import {
  checkEndpointUrl,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUT_MS,
  positiveBytes,
  positiveMs,
} from './options.js';

/** Endpoints a provider may need beyond the token endpoint. */
export type EndpointName =
  | 'token_endpoint'
  | 'revocation_endpoint'
  | 'device_authorization_endpoint'
  | 'authorization_endpoint';

/** Explicit endpoint URLs for servers used without discovery. */
export type ExplicitEndpoints = Partial<Record<EndpointName, string | URL | undefined>>;

/**
 * One authorization server as a provider sees it: either fixed endpoints (`tokenUrl`,
 * …) or an issuer discovered once and remembered.
 */
export class AuthorizationServer {
  readonly #issuer: URL | undefined;
  readonly #explicit: Partial<Record<EndpointName, URL>>;
  readonly #cache: DiscoveryCache;
  readonly #options: EndpointOptions;
  /** The deadline of each request. */
  readonly timeoutMs: number;
  /** The cap on each response body, in bytes. */
  readonly maxResponseBytes: number;
  /** The clock. */
  readonly now: () => number;
  /** The identity of the server in cache keys: the token URL or the issuer. */
  readonly identity: string;

  /**
   * @param owner - The provider's name, for errors.
   * @param options - `tokenUrl` or `issuer`, and the transport options.
   * @param explicit - Other endpoints given directly (revocation, device, authorization).
   * @param required - The endpoint the provider cannot work without.
   * @throws {TypeError} Both or neither of `tokenUrl`/`issuer`, an invalid URL (user
   *   information included), timeout or size cap.
   */
  constructor(
    owner: string,
    options: EndpointOptions,
    explicit: ExplicitEndpoints = {},
    required: EndpointName = 'token_endpoint',
  ) {
    const insecure = options.allowInsecureHttp === true;
    if (options.tokenUrl !== undefined && options.issuer !== undefined)
      throw new TypeError(`${owner}: set tokenUrl or issuer, not both`);
    const given = { ...explicit, token_endpoint: options.tokenUrl ?? explicit.token_endpoint };
    this.#explicit = {};
    for (const [name, url] of Object.entries(given)) {
      if (url !== undefined)
        this.#explicit[name as EndpointName] = checkEndpointUrl(
          optionNameOf(name as EndpointName),
          url,
          insecure,
        );
    }
    this.#issuer =
      options.issuer === undefined
        ? undefined
        : checkEndpointUrl('issuer', options.issuer, insecure);
    if (options.discovery !== undefined) {
      if (options.discovery !== 'oidc' && options.discovery !== 'oauth2')
        throw new TypeError(`${owner}: discovery must be 'oidc' or 'oauth2'`);
      if (!this.#issuer) throw new TypeError(`${owner}: discovery applies only with issuer`);
    }
    if (!this.#issuer && !this.#explicit[required]) {
      const option = required === 'token_endpoint' ? 'tokenUrl' : optionNameOf(required);
      throw new TypeError(`${owner} needs issuer or ${option}`);
    }
    this.#cache = options.discoveryCache ?? new DiscoveryCache();
    this.#options = options;
    this.timeoutMs = positiveMs('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS);
    this.maxResponseBytes = positiveBytes(
      'maxResponseBytes',
      options.maxResponseBytes,
      DEFAULT_MAX_RESPONSE_BYTES,
    );
    this.now = options.now ?? Date.now;
    this.identity = (this.#issuer ??
      this.#explicit.token_endpoint ??
      this.#explicit[required])!.href;
  }

  /** The issuer, when configured by issuer. */
  get issuer(): string | undefined {
    return this.#issuer?.href;
  }

  /**
   * The server as oauth4webapi needs it. Without discovery, `issuer` is the token endpoint
   * URL, which makes it the `aud` of client assertions (RFC 7523 §3 allows the token
   * endpoint URL there).
   *
   * With `useMtlsAliases` (a client on mutual TLS), a discovered endpoint the server also
   * publishes in `mtls_endpoint_aliases` (RFC 8705 §5) is replaced by its alias; endpoints
   * given as options, and the authorization endpoint (the browser's), stay as they are.
   *
   * @param signal - Aborts discovery.
   * @param need - The endpoint the request goes to.
   * @param useMtlsAliases - Use the server's mTLS aliases.
   * @throws {AuthError} A needed endpoint the server does not publish, or publishes as a URL
   *   this provider refuses (plain http to a remote host, user information).
   */
  async metadata(
    signal: AbortSignal | undefined,
    need: EndpointName,
    useMtlsAliases = false,
  ): Promise<oauth.AuthorizationServer> {
    let metadata: AuthorizationServerMetadata;
    if (this.#issuer) {
      metadata = await this.#cache.get(this.#issuer, {
        algorithm: this.#options.discovery,
        fetch: this.#options.fetch,
        timeoutMs: this.timeoutMs,
        maxResponseBytes: this.maxResponseBytes,
        signal,
        now: this.now,
      });
    } else {
      metadata = { issuer: (this.#explicit.token_endpoint ?? this.#explicit[need])!.href };
    }
    const merged: Record<string, unknown> = { ...metadata };
    if (useMtlsAliases) Object.assign(merged, mtlsAliasesOf(metadata));
    for (const [name, url] of Object.entries(this.#explicit)) merged[name] = url.href;
    if (!merged[need]) {
      // An AuthError, not a TypeError: a manager retries TypeErrors as network faults, and
      // asking again will not make the server publish the endpoint.
      throw new AuthError(
        `the authorization server publishes no ${need}; set ${optionNameOf(need)}`,
      );
    }
    try {
      merged[need] = checkEndpointUrl(need, merged[need], this.#options.allowInsecureHttp).href;
    } catch (error) {
      // Given endpoints were checked at construction, so this is the server's metadata: an
      // AuthError (a manager does not retry it), with the check's message, which names the
      // host at most (never user information, a path or a query).
      throw new AuthError(`the authorization server's discovered ${(error as Error).message}`);
    }
    return merged as unknown as oauth.AuthorizationServer;
  }
}

/** Endpoints a client calls directly that RFC 8705 §5 lets a server alias for mutual TLS. */
const MTLS_ALIASED: readonly EndpointName[] = [
  'token_endpoint',
  'revocation_endpoint',
  'device_authorization_endpoint',
];

/** The `mtls_endpoint_aliases` of `metadata` for the endpoints providers call, if published as strings. */
function mtlsAliasesOf(metadata: AuthorizationServerMetadata): Record<string, string> {
  const aliases = metadata.mtls_endpoint_aliases;
  if (typeof aliases !== 'object' || aliases === null) return {};
  const picked: Record<string, string> = {};
  for (const name of MTLS_ALIASED) {
    const alias = (aliases as Record<string, unknown>)[name];
    if (typeof alias === 'string') picked[name] = alias;
  }
  return picked;
}

function optionNameOf(endpoint: EndpointName): string {
  switch (endpoint) {
    case 'token_endpoint':
      return 'tokenUrl';
    case 'revocation_endpoint':
      return 'revocationUrl';
    case 'device_authorization_endpoint':
      return 'deviceAuthorizationUrl';
    case 'authorization_endpoint':
      return 'authorizationUrl';
  }
}
