import { OAuthError, type TokenProvider, TokenResponseError, type TokenSet } from '@auth/core';
import * as oauth from 'oauth4webapi';
import type { ClientOptions, DPoPOptions, EndpointOptions } from './endpoint-options.js';
import { grantProvider } from './internal/grant-provider.js';
import { checkIdTokenNonce } from './internal/id-token-nonce.js';
import { requiredString, scopeString } from './internal/options.js';
import { TokenClient } from './internal/token-client.js';

/** Settings shared by the authorization code helpers. */
export interface AuthorizationCodeClientOptions
  extends EndpointOptions,
    ClientOptions,
    DPoPOptions {
  /** The redirect URI registered for the client (for a CLI: a loopback URI, RFC 8252 §7.3). */
  redirectUri: string | URL;
  /** The scope to request. */
  scope?: string | readonly string[];
  /** The authorization endpoint, when not discovered from `issuer`. */
  authorizationUrl?: string | URL;
  /** Extra query parameters of the authorization URL (`prompt`, `login_hint`, …). */
  authorizationParams?: Record<string, string>;
}

/** A started authorization request: send the user to `url`, keep the rest for the exchange. */
export interface AuthorizationRequest {
  /** Where to send the user's browser. */
  url: URL;
  /** The `state` the callback must carry back (CSRF protection). */
  state: string;
  /** The PKCE verifier (RFC 7636 §4.1): a secret until the exchange. */
  codeVerifier: string;
  /** The redirect URI used. */
  redirectUri: string;
  /**
   * The OpenID `nonce` sent (when the scope holds `openid`): the ID token of the exchange must
   * carry it back.
   */
  nonce?: string;
}

/**
 * Builds an authorization URL with PKCE (S256, RFC 7636 §4.2) and a random `state`.
 *
 * Calls with the same options object share one token client: the issuer is discovered
 * once for them, not once per call, so pass the object that builds the request to
 * {@link exchangeAuthorizationCode} too. The settings are read at the first call with an
 * object; to change one, pass a new object.
 *
 * @param options - Client, endpoint and redirect settings.
 * @returns The URL and what {@link exchangeAuthorizationCode} needs.
 * @throws {TypeError} Missing settings, or no authorization endpoint.
 * @throws {TokenEndpointError} Discovery failed.
 * @example
 * ```ts
 * import { createAuthorizationRequest } from '@auth/oauth';
 *
 * const request = await createAuthorizationRequest({
 *   issuer: 'https://login.example.com',
 *   clientId: 'my-cli',
 *   redirectUri: 'http://127.0.0.1:8765/callback',
 *   scope: 'openid offline_access',
 * });
 * console.log(`Open ${request.url}`);
 * ```
 */
export async function createAuthorizationRequest(
  options: AuthorizationCodeClientOptions,
  signal?: AbortSignal,
): Promise<AuthorizationRequest> {
  return flowOf(options).start(signal);
}

/**
 * Redeems the code of an authorization callback (RFC 6749 §4.1.3) with the PKCE verifier,
 * after checking the callback: an `error` becomes {@link OAuthError}; a `state` that does
 * not match, a missing `code` or an `iss` of another issuer (RFC 9207) become
 * {@link TokenResponseError}.
 *
 * @param options - The same client settings that built the request: the same object, so the
 *   exchange reuses its token client and discovered metadata (see {@link createAuthorizationRequest}).
 * @param request - What {@link createAuthorizationRequest} returned.
 * @param callbackUrl - The URL the browser was redirected to.
 * @returns The tokens.
 * @throws {OAuthError} The server refused (in the callback or at the token endpoint).
 * @throws {TokenEndpointError} Network failure, timeout, 5xx, …
 * @example
 * ```ts
 * import { type AuthorizationCodeClientOptions, createAuthorizationRequest, exchangeAuthorizationCode } from '@auth/oauth';
 *
 * declare const callbackUrl: URL; // the URL the browser was redirected to
 * const options: AuthorizationCodeClientOptions = {
 *   issuer: 'https://login.example.com',
 *   clientId: 'cli',
 *   redirectUri: 'http://127.0.0.1:53120/callback',
 * };
 * const request = await createAuthorizationRequest(options);
 * const tokens = await exchangeAuthorizationCode(options, request, callbackUrl);
 * ```
 */
export async function exchangeAuthorizationCode(
  options: AuthorizationCodeClientOptions,
  request: AuthorizationRequest,
  callbackUrl: string | URL,
  signal?: AbortSignal,
): Promise<TokenSet> {
  return flowOf(options).exchange(request, callbackUrl, signal);
}

/**
 * The flow of each options object the helpers were given, held weakly: its token client,
 * discovered metadata and DPoP nonce serve every later call with the same object.
 */
const flows = new WeakMap<AuthorizationCodeClientOptions, AuthorizationCodeFlow>();

function flowOf(options: AuthorizationCodeClientOptions): AuthorizationCodeFlow {
  let flow = flows.get(options);
  if (!flow) {
    flow = new AuthorizationCodeFlow(options);
    flows.set(options, flow);
  }
  return flow;
}

/** Options of {@link authorizationCode}. */
export interface AuthorizationCodeOptions extends AuthorizationCodeClientOptions {
  /**
   * Sends the user to `url` (open a browser, print it) and resolves with the callback URL,
   * e.g. from a loopback receiver (`@auth/oauth/loopback`). It runs once per sign-in: the
   * provider is `interactive`, so when it (or the exchange after it) fails, a `TokenManager`
   * does not run the sign-in again: the caller gets an `AuthenticationError` whose `cause` is an
   * `AuthError` of code `interaction_failed` (with the error as its `cause`).
   */
  authorize: (request: { url: URL; signal: AbortSignal | undefined }) => Promise<string | URL>;
}

/**
 * A provider that signs in with the authorization code grant + PKCE: each full sign-in
 * builds a request, lets `authorize` take the user through it, and exchanges the code;
 * renewals use the refresh token.
 *
 * @param options - See {@link AuthorizationCodeOptions}.
 * @returns A provider for a `TokenManager`.
 * @throws {TypeError} Missing or conflicting settings (named in the message).
 * @example
 * ```ts
 * import { authorizationCode } from '@auth/oauth';
 * import { startLoopbackReceiver } from '@auth/oauth/loopback';
 *
 * const receiver = await startLoopbackReceiver();
 * const provider = authorizationCode({
 *   issuer: 'https://login.example.com',
 *   clientId: 'my-cli',
 *   redirectUri: receiver.redirectUri,
 *   scope: 'openid offline_access',
 *   authorize: async ({ url, signal }) => {
 *     console.log(`Open ${url}`);
 *     return receiver.waitForCallback({ signal });
 *   },
 * });
 * ```
 */
export function authorizationCode(options: AuthorizationCodeOptions): TokenProvider {
  if (typeof options.authorize !== 'function')
    throw new TypeError('authorizationCode needs authorize (a function)');
  const flow = new AuthorizationCodeFlow(options);
  const { client, scope } = flow;
  return grantProvider({
    name: 'authorizationCode',
    cacheKey: client.cacheKey({
      grant: 'authorization_code',
      scope,
    }),
    canReauthenticate: true,
    interactive: true,
    description: {
      type: 'authorization_code',
      ...client.describe(),
      redirectUri: flow.redirectUri,
      scope,
    },
    fetchToken: async ({ signal } = {}) => {
      const request = await flow.start(signal);
      const callback = await options.authorize({ url: request.url, signal });
      return flow.exchange(request, callback, signal);
    },
    refreshToken: (current, { signal } = {}) => client.refresh(current.refreshToken, signal),
  });
}

class AuthorizationCodeFlow {
  readonly client: TokenClient;
  readonly scope: string | undefined;
  readonly redirectUri: string;
  readonly #params: Record<string, string>;

  constructor(options: AuthorizationCodeClientOptions) {
    this.client = new TokenClient('authorizationCode', options, {
      authorization_endpoint: options.authorizationUrl,
    });
    requiredString('authorizationCode', 'redirectUri', String(options.redirectUri ?? ''));
    this.redirectUri = new URL(options.redirectUri).href;
    this.scope = scopeString(options.scope);
    this.#params = { ...options.authorizationParams };
  }

  async start(signal: AbortSignal | undefined): Promise<AuthorizationRequest> {
    const as = await this.client.server.metadata(signal, 'authorization_endpoint');
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    // metadata() has checked the endpoint, honouring allowInsecureHttp.
    const url = new URL(as.authorization_endpoint!);
    for (const [name, value] of Object.entries(this.#params)) url.searchParams.set(name, value);
    url.searchParams.set('client_id', this.client.client.clientId);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('redirect_uri', this.redirectUri);
    if (this.scope) url.searchParams.set('scope', this.scope);
    url.searchParams.set('state', state);
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
    url.searchParams.set('code_challenge_method', 'S256');
    // OpenID Connect Core §3.1.2.1: some servers require a nonce with `openid`; the exchange
    // checks it in the ID token.
    // A nonce given in authorizationParams is the one sent and checked.
    const nonce =
      this.#params.nonce ??
      (this.scope?.split(' ').includes('openid') ? oauth.generateRandomNonce() : undefined);
    if (nonce) url.searchParams.set('nonce', nonce);
    return { url, state, codeVerifier, redirectUri: this.redirectUri, nonce };
  }

  async exchange(
    request: AuthorizationRequest,
    callbackUrl: string | URL,
    signal: AbortSignal | undefined,
  ): Promise<TokenSet> {
    const params = new URL(callbackUrl).searchParams;
    const error = params.get('error');
    if (error) {
      // Server text, through the browser: redact what this client holds.
      const redactor = this.client.redactor();
      redactor.add(request.codeVerifier);
      throw new OAuthError({
        error: redactor.redactErrorCode(error),
        errorDescription: redactor.redact(params.get('error_description') ?? undefined),
        errorUri: redactor.redact(params.get('error_uri') ?? undefined),
      });
    }
    if (params.get('state') !== request.state)
      throw new TokenResponseError('the authorization callback state does not match the request');
    const issuer = this.client.server.issuer;
    const iss = params.get('iss');
    if (issuer && iss !== null && new URL(iss).href !== issuer)
      throw new TokenResponseError(
        'the authorization callback comes from another issuer (RFC 9207)',
      );
    const code = params.get('code');
    if (!code) throw new TokenResponseError('the authorization callback has no code');
    const read = await this.client.grantResponse(
      'authorization_code',
      { code, redirect_uri: request.redirectUri, code_verifier: request.codeVerifier },
      signal,
    );
    if (request.nonce !== undefined) {
      const as = issuer ? await this.client.server.metadata(signal, 'token_endpoint') : undefined;
      await checkIdTokenNonce(read, request.nonce, {
        as,
        clientId: this.client.client.clientId,
        now: this.client.now,
      });
    }
    return this.client.tokenSet(read);
  }
}
