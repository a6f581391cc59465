import type { TokenSet } from '@auth/core';
import * as oauth from 'oauth4webapi';
import type {
  ClientAuthMethod,
  ClientOptions,
  DPoPOptions,
  EndpointOptions,
} from '../endpoint-options.js';
import { withDeadline } from './abort.js';
import {
  AuthorizationServer,
  type EndpointName,
  type ExplicitEndpoints,
} from './authorization-server.js';
import { ClientAuthentication } from './client-auth.js';
import { dpopHandle, isDPoPNonceChallenge } from './dpop.js';
import { type CacheKeyParts, cacheKeyOf } from './grant-provider.js';
import {
  clientAuthRefused,
  jsonOrThrow,
  type ReadResponse,
  readResponse,
  tokenSetOrThrow,
} from './http-response.js';
import { SecretRedactor } from './secret-redactor.js';

/** Form parameters of a request; a list sends the parameter once per value (e.g. `resource`). */
export type FormParams = Record<string, string | readonly string[] | undefined>;

/**
 * A client of one authorization server: sends authenticated form requests to its
 * endpoints through oauth4webapi (client authentication, headers, redirect handling) under
 * a deadline, and maps every response once, to a {@link TokenSet} or a typed error.
 *
 * Requests go through {@link TokenClient.post}, the one place the `dpop` option (RFC 9449)
 * hooks in: oauth4webapi's DPoP handle adds a proof to every token endpoint request and
 * remembers the server's `DPoP-Nonce`; a `use_dpop_nonce` answer is retried once with it.
 */
export class TokenClient {
  readonly server: AuthorizationServer;
  readonly client: ClientAuthentication;
  readonly #fetch: typeof fetch | undefined;
  readonly #extraParams: Record<string, string>;
  readonly #acceptTokenTypes: readonly string[] | undefined;
  readonly #dpop: oauth.DPoPHandle | undefined;
  /** The JWK thumbprint of the DPoP key tokens are bound to, when `dpop` is set. */
  readonly dpopThumbprint: string | undefined;

  /**
   * @param owner - The provider's name, for errors.
   * @param options - Endpoint, transport and client settings.
   * @param explicit - Endpoints other than the token endpoint given directly.
   * @param required - The endpoint the provider cannot work without.
   * @throws {TypeError} Any invalid setting (see {@link AuthorizationServer}, {@link ClientAuthentication}).
   */
  constructor(
    owner: string,
    options: EndpointOptions & ClientOptions & DPoPOptions,
    explicit: ExplicitEndpoints = {},
    required: EndpointName = 'token_endpoint',
  ) {
    this.server = new AuthorizationServer(owner, options, explicit, required);
    this.client = new ClientAuthentication(owner, options);
    this.#fetch = options.fetch;
    if (this.client.mutualTls && options.fetch === undefined)
      throw new TypeError(
        `${owner}: mutual TLS needs fetch, one that presents the client certificate (mtlsFetch from @auth/fetch/undici)`,
      );
    if (this.client.certificateBoundTokens && options.dpop !== undefined)
      throw new TypeError(
        `${owner}: certificateBoundTokens conflicts with dpop (one binding per token)`,
      );
    if (
      options.extraParams !== undefined &&
      (typeof options.extraParams !== 'object' || options.extraParams === null)
    )
      throw new TypeError(`${owner}: extraParams must be an object of strings`);
    this.#extraParams = { ...options.extraParams };
    if (
      options.acceptTokenTypes !== undefined &&
      (!Array.isArray(options.acceptTokenTypes) ||
        !options.acceptTokenTypes.every((type) => typeof type === 'string'))
    )
      throw new TypeError(`${owner}: acceptTokenTypes must be an array of token type names`);
    this.#acceptTokenTypes = options.acceptTokenTypes;
    this.#dpop = options.dpop === undefined ? undefined : dpopHandle(owner, options.dpop);
    this.dpopThumbprint = options.dpop?.thumbprint;
  }

  /**
   * The cache key of tokens this client gets with `parts`: the endpoint, client id, client
   * credential tag, DPoP thumbprint and mutual TLS come from the client (see {@link cacheKeyOf}).
   */
  cacheKey(
    parts: Omit<
      CacheKeyParts,
      | 'endpoint'
      | 'clientId'
      | 'clientFingerprint'
      | 'dpopThumbprint'
      | 'tlsClientAuth'
      | 'certificateBound'
    >,
  ): string {
    return cacheKeyOf({
      ...parts,
      endpoint: this.server.identity,
      clientId: this.client.clientId,
      clientFingerprint: this.client.fingerprint,
      dpopThumbprint: this.dpopThumbprint,
      tlsClientAuth: this.client.tlsMethod,
      certificateBound: this.client.certificateBoundTokens,
    });
  }

  /** The clock. */
  get now(): () => number {
    return this.server.now;
  }

  /**
   * Requests tokens with `grantType` (RFC 6749 §4) and maps the response.
   *
   * @throws {OAuthError} An RFC 6749 §5.2 error.
   * @throws {TokenEndpointError} Network failure, timeout, 5xx, 429, a non-JSON body.
   * @throws {TokenResponseError} A success body without a usable `access_token`.
   */
  async grant(grantType: string, params: FormParams, signal?: AbortSignal): Promise<TokenSet> {
    return this.tokenSet(await this.grantResponse(grantType, params, signal));
  }

  /** Sends a token request with `grantType` and returns the response as read, unmapped. */
  grantResponse(
    grantType: string,
    params: FormParams,
    signal?: AbortSignal,
  ): Promise<ReadResponse> {
    return this.post('token_endpoint', params, signal, (as, client, auth, body, options) =>
      oauth.genericTokenEndpointRequest(as, client, auth, grantType, body, options),
    );
  }

  /** Maps a token endpoint response (see {@link grant}). */
  tokenSet(read: ReadResponse): TokenSet {
    return tokenSetOrThrow('the token endpoint', read, this.now, this.#acceptTokenTypes);
  }

  /** Uses a refresh token (RFC 6749 §6). */
  async refresh(refreshToken: string | undefined, signal?: AbortSignal): Promise<TokenSet> {
    if (!refreshToken) throw new TypeError('refresh needs a token set with a refresh token');
    return this.grant('refresh_token', { refresh_token: refreshToken }, signal);
  }

  /**
   * Sends an authenticated form request to `endpoint` and reads the response under the
   * deadline.
   *
   * @param endpoint - Which endpoint.
   * @param params - The grant's own parameters (they win over `extraParams`).
   * @param signal - The caller's abort signal.
   * @param send - The oauth4webapi request function.
   * @returns The response, read in full (up to `maxResponseBytes`), with a redactor of every
   *   secret the request carried (form values, `Authorization` credentials, the client
   *   secret) for the error mapping.
   * @throws {TokenResponseError} `token_response_too_large`: the body exceeds `maxResponseBytes`.
   */
  async post(
    endpoint: EndpointName,
    params: FormParams,
    signal: AbortSignal | undefined,
    send: (
      as: oauth.AuthorizationServer,
      client: oauth.Client,
      auth: oauth.ClientAuth,
      body: URLSearchParams,
      options: oauth.TokenEndpointRequestOptions,
    ) => Promise<Response>,
  ): Promise<ReadResponse> {
    const as = await this.server.metadata(signal, endpoint, this.client.mutualTls);
    const body = new URLSearchParams(this.#extraParams);
    for (const [name, value] of Object.entries(params)) {
      if (value === undefined) continue;
      body.delete(name);
      for (const item of typeof value === 'string' ? [value] : value) body.append(name, item);
    }
    const what = `the ${endpoint.replace(/_/g, ' ')}`;
    // DPoP proofs belong to token requests only (RFC 9449 §5).
    const dpop = endpoint === 'token_endpoint' ? this.#dpop : undefined;
    const redactor = this.redactor();
    // Sees each request as sent, client authentication included (oauth4webapi adds the
    // Basic header or the client_secret / client_assertion parameters itself).
    const observing: typeof fetch = (input, init) => {
      redactor.addRequest(
        init?.body instanceof URLSearchParams ? init.body : undefined,
        new Headers(init?.headers).get('authorization'),
      );
      return (this.#fetch ?? fetch)(input, init);
    };
    return withDeadline(what, this.server.timeoutMs, signal, async (deadline) => {
      const attempt = async (method: ClientAuthMethod): Promise<ReadResponse> => {
        const { client, auth } = await this.client.resolve(as, method);
        return {
          ...(await readResponse(
            await send(as, client, auth, new URLSearchParams(body), {
              signal: deadline,
              DPoP: dpop,
              [oauth.customFetch]: observing,
              [oauth.allowInsecureRequests]: true, // the URL policy was enforced when it was set
            }),
            this.server.maxResponseBytes,
          )),
          redactor,
        };
      };
      const attemptWithNonce = async (method: ClientAuthMethod): Promise<ReadResponse> => {
        const read = await attempt(method);
        // RFC 9449 §8: the handle has kept the DPoP-Nonce; one retry with it.
        return dpop !== undefined && isDPoPNonceChallenge(read) ? attempt(method) : read;
      };
      const method = this.client.methodFor(as, endpoint);
      const read = await attemptWithNonce(method);
      const refused = clientAuthRefused(read);
      const fallback = refused ? this.client.fallbackAfter(as, endpoint, method) : undefined;
      if (fallback === undefined) {
        // The server read the credentials (it answered, and not by refusing them).
        if (!refused && read.status < 500 && read.status !== 429)
          this.client.settle(as, endpoint, method);
        return read;
      }
      // A server that refuses Basic (it may not form-decode it) gets the credentials in the
      // body, once per endpoint: from then on it gets post.
      return attemptWithNonce(fallback);
    });
  }

  /**
   * A redactor of the secrets this client holds (the client secret); a request adds those
   * it carries.
   */
  redactor(): SecretRedactor {
    return new SecretRedactor([this.client.secret]);
  }

  /** Parses a non-token JSON response (device authorization), mapping errors like tokens. */
  json(what: string, read: ReadResponse): unknown {
    return jsonOrThrow(what, read, this.now);
  }

  /** Settings for `describe()`: the server, the client and its credential presence. */
  describe(): Record<string, string | number | undefined> {
    return {
      ...(this.server.issuer ? { issuer: this.server.issuer } : { tokenUrl: this.server.identity }),
      ...this.client.describe(),
      timeoutMs: this.server.timeoutMs,
      maxResponseBytes: this.server.maxResponseBytes,
      extraParams: Object.keys(this.#extraParams).join(',') || undefined,
      dpopThumbprint: this.dpopThumbprint,
    };
  }
}
