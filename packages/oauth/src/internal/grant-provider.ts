import type { ProviderDescription, TokenProvider, TokenRequestOptions, TokenSet } from '@auth/core';
import { fingerprint, redacted } from '@auth/core/internal';

/** What a grant supplies to {@link grantProvider}. */
export interface GrantParts {
  /** Function-style name for `util.inspect`, e.g. `clientCredentials`. */
  name: string;
  cacheKey: string;
  canReauthenticate: boolean;
  /** `fetchToken` needs a person (see `TokenProvider.interactive`). */
  interactive?: boolean;
  /** Settings with secrets already reduced to `'set'`/`'not set'`. */
  description: ProviderDescription;
  /** The provider's `fetchToken`: gets the caller's options as they were passed. */
  fetchToken: (options?: TokenRequestOptions) => Promise<TokenSet>;
  /** The provider's `refreshToken`: gets the caller's options as they were passed. */
  refreshToken?: (current: TokenSet, options?: TokenRequestOptions) => Promise<TokenSet>;
}

/**
 * Wraps a grant as a {@link TokenProvider} whose secrets live only in closures:
 * `describe()`, `JSON.stringify` and `util.inspect` show the description and nothing else.
 * `fetchToken` and `refreshToken` are the grant's own: they get the caller's
 * {@link TokenRequestOptions} unchanged.
 *
 * @param parts - The grant.
 * @returns The frozen provider.
 */
export function grantProvider(parts: GrantParts): TokenProvider {
  const description = Object.freeze({ ...parts.description });
  const describe = (): ProviderDescription => ({ ...description });
  const provider: TokenProvider = redacted(parts.name, describe, {
    cacheKey: parts.cacheKey,
    canReauthenticate: parts.canReauthenticate,
    ...(parts.interactive ? { interactive: true } : {}),
    fetchToken: parts.fetchToken,
    ...(parts.refreshToken ? { refreshToken: parts.refreshToken } : {}),
    describe,
    toString: () => `${parts.name}(${parts.cacheKey})`,
  });
  return Object.freeze(provider);
}

/** The identity parts of a cache key: grant, endpoint, client, user, scope, audience, resource. */
export interface CacheKeyParts {
  grant: string;
  endpoint: string;
  clientId: string;
  user?: string;
  scope?: string;
  audience?: string;
  resource?: readonly string[];
  /** The client credential's {@link ClientAuthentication.fingerprint}. */
  clientFingerprint: string;
  /** Further secrets of the grant (password, refresh token, assertion): tagged, never shown. */
  secrets?: readonly (string | undefined)[];
  /** The JWK thumbprint of the DPoP key tokens are bound to (public, shown as it is). */
  dpopThumbprint?: string;
  /** The `tls_client_auth` method the client authenticates with, if one (RFC 8705 §2). */
  tlsClientAuth?: string;
  /** Whether tokens are bound to the client certificate (RFC 8705 §3). */
  certificateBound?: boolean;
}

/**
 * Builds a stable cache key: `oauth:<grant>:<endpoint>:<client>:<user>:<scope>:<audience>:<resource>:<tag>`,
 * each part URI-encoded so a `:` in a part cannot forge another key; the tag hashes
 * the credentials, so rotating a secret changes the key and no secret shows in it.
 * DPoP-bound tokens get `:dpop=<thumbprint>` at the end: a token is usable only with its key.
 * Mutual TLS shows as `:mtls=<method>` (TLS client authentication) and `:cnf=x5t`
 * (certificate-bound tokens); the certificate is the `fetch`'s, never part of the key.
 */
export function cacheKeyOf(parts: CacheKeyParts): string {
  const visible = joinedKey([
    'oauth',
    parts.grant,
    parts.endpoint,
    parts.clientId,
    parts.user,
    parts.scope,
    parts.audience,
    parts.resource?.join(' '),
  ]);
  const tag = fingerprint([parts.clientFingerprint, ...(parts.secrets ?? [])]);
  const key = [
    visible,
    tag,
    ...(parts.tlsClientAuth === undefined ? [] : [`mtls=${parts.tlsClientAuth}`]),
    ...(parts.certificateBound ? ['cnf=x5t'] : []),
  ].join(':');
  return parts.dpopThumbprint === undefined ? key : `${key}:dpop=${parts.dpopThumbprint}`;
}

/**
 * Parts joined with `:` into a cache key, each URI-encoded (an absent one as empty), so a `:`
 * inside a part cannot forge another key.
 *
 * @param parts - The key's parts, in order.
 * @returns The key.
 */
export function joinedKey(parts: readonly (string | undefined)[]): string {
  return parts.map((part) => encodeURIComponent(part ?? '')).join(':');
}
