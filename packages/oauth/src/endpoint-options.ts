import type { DPoPKeyPair } from '@auth/core';
import type { DiscoveryCache } from './discovery.js';

/**
 * Where and how a provider reaches the authorization server. Give `tokenUrl` or `issuer`
 * (discovered once, RFC 8414 / OpenID Discovery), not both.
 */
export interface EndpointOptions {
  /** The token endpoint. */
  tokenUrl?: string | URL;
  /** The issuer; its metadata supplies every endpoint. */
  issuer?: string | URL;
  /**
   * Where the issuer's metadata is read: `oidc` (`/.well-known/openid-configuration`,
   * OpenID Connect Discovery 1.0) or `oauth2` (`/.well-known/oauth-authorization-server`,
   * RFC 8414). Only with `issuer`. Default `oidc`.
   */
  discovery?: 'oidc' | 'oauth2';
  /** Shares discovery results between providers. Default: each provider discovers once. */
  discoveryCache?: DiscoveryCache;
  /** The `fetch` to use. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Deadline of each request, body included, in ms. Default 10 000. */
  timeoutMs?: number;
  /**
   * The largest response body read, in bytes; a larger one (by `Content-Length` or as it
   * streams in) is cancelled and fails with `TokenResponseError` code
   * `token_response_too_large`. Default 1 MiB (1 048 576).
   */
  maxResponseBytes?: number;
  /**
   * Token types accepted besides `Bearer` and `DPoP`, for a server whose API expects another
   * scheme (e.g. `['MAC']`). Any other `token_type` fails with `TokenResponseError` code
   * `token_type_unsupported`, rather than being sent as `<type> <token>`. Default: none.
   */
  acceptTokenTypes?: readonly string[];
  /** Extra form parameters sent with every token request (grant parameters win). */
  extraParams?: Record<string, string>;
  /** Allow plain `http:` to a host that is not loopback. Default false: a loud opt-in. */
  allowInsecureHttp?: boolean;
  /** The clock (epoch ms), for expiry times. Default `Date.now`. */
  now?: () => number;
}

/**
 * How a client authenticates to the token endpoint (RFC 6749 §2.3, RFC 7523 §2.2, RFC 8705 §2:
 * `tls_client_auth` and `self_signed_tls_client_auth` send only the client id, the certificate
 * travels in the TLS handshake of the provider's `fetch`).
 */
export type ClientAuthMethod =
  | 'client_secret_basic'
  | 'client_secret_post'
  | 'private_key_jwt'
  | 'tls_client_auth'
  | 'self_signed_tls_client_auth'
  | 'none';

/** Signing algorithms supported for `private_key_jwt` with a PEM key. */
export type ClientAssertionAlgorithm = 'ES256' | 'RS256' | 'PS256' | 'EdDSA';

/** The client's identity and credential. */
export interface ClientOptions {
  /** The client identifier. */
  clientId: string;
  /** The client secret, for `client_secret_basic` / `client_secret_post`. */
  clientSecret?: string;
  /**
   * How the client authenticates; an explicit method is always used as it is. Default:
   * `private_key_jwt` when `privateKey` or `clientAssertion` is set, `none` without a credential, and with a
   * `clientSecret` the method the server supports: from discovery metadata
   * (`token_endpoint_auth_methods_supported`), `client_secret_post` when the id or secret holds
   * characters Basic must encode and the server supports it, else `client_secret_basic`; when
   * Basic is refused (`invalid_client`, or a bare HTTP 400/401/403), the request is sent once
   * more with `client_secret_post`, and that endpoint gets post from then on (once per
   * endpoint, whatever post's answer, so no credential is sent twice on every request).
   */
  authMethod?: ClientAuthMethod;
  /** The signing key for `private_key_jwt`: a `CryptoKey` or PKCS #8 PEM. */
  privateKey?: CryptoKey | string;
  /** The `kid` header of client assertions; also tells rotated `CryptoKey`s apart in the cache key. */
  keyId?: string;
  /** The algorithm of a PEM `privateKey`. Default `ES256`. */
  signingAlgorithm?: ClientAssertionAlgorithm;
  /**
   * The `aud` of `private_key_jwt` client assertions: `'token_endpoint'` (default, the token
   * endpoint URL, as OpenID Connect Core §9 recommends and most servers require), `'issuer'`
   * (the issuer; without discovery, the token URL), or any other string, sent as it is.
   */
  assertionAudience?: 'token_endpoint' | 'issuer' | (string & {});
  /**
   * A client assertion made elsewhere (RFC 7521 §4.2, RFC 7523 §2.2): a Kubernetes projected
   * service-account token, a cloud's federated token, a JWT a signing service issued. Each
   * request that authenticates the client (token, revocation, device authorization) calls it
   * afresh and sends `client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer`
   * with the value, so the callable does its own caching (`tokenFile` from `@auth/oauth/node`
   * re-reads a file only when it changes). The method is `private_key_jwt` (the name servers
   * list for JWT client assertions); instead of `privateKey`, never with it. The value is a
   * secret: never logged, redacted from server text, and kept out of the cache key, which
   * tells such clients apart by their client id alone (the assertion rotates).
   */
  clientAssertion?: () => string | Promise<string>;
  /**
   * The client is registered for certificate-bound access tokens (RFC 8705 §3,
   * `tls_client_certificate_bound_access_tokens`) while it authenticates otherwise (a secret, a
   * key): its token requests, like those of the `tls_client_auth` methods, go to the server's
   * `mtls_endpoint_aliases` (RFC 8705 §5) through the provider's `fetch`, which must present
   * the certificate (`mtlsFetch` from `@auth/fetch/undici`). The binding itself is the server's
   * decision, from the registration. Not with `dpop`. Default false.
   */
  certificateBoundTokens?: boolean;
}

/**
 * Sender-constrained tokens (DPoP, RFC 9449): every token request carries a proof signed
 * with the key pair, and the server binds the tokens it issues to that key
 * (`token_type: DPoP`). Send them with `dpopAuth(manager, { keyPair })` from `@auth/core`.
 */
export interface DPoPOptions {
  /**
   * The key pair tokens are bound to, from `generateDPoPKeyPair()` or `dpopKeyPair()`
   * (`@auth/core`). Its thumbprint becomes part of the provider's `cacheKey`: tokens bound to
   * different keys never share a cache entry, and processes sharing tokens through a store
   * must share the key.
   */
  dpop?: DPoPKeyPair;
}
