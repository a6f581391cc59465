import type { TokenProvider } from '@auth/core';
import type { ClientOptions, DPoPOptions, EndpointOptions } from './endpoint-options.js';
import { grantProvider } from './internal/grant-provider.js';
import { tokenTarget } from './internal/options.js';
import { TokenClient } from './internal/token-client.js';

/** Options of {@link clientCredentials}. */
export interface ClientCredentialsOptions extends EndpointOptions, ClientOptions, DPoPOptions {
  /** The scope to request, space-separated or as a list. */
  scope?: string | readonly string[];
  /** The `audience` parameter many servers use to name the API. */
  audience?: string;
  /** RFC 8707 resource indicator(s). */
  resource?: string | readonly string[];
}

/**
 * The client credentials grant (RFC 6749 §4.4): a service gets tokens for itself. The
 * client authenticates with `client_secret_basic` (default; id and secret form-urlencoded
 * before Base64, RFC 6749 §2.3.1), `client_secret_post`, `private_key_jwt` (RFC 7523 §2.2:
 * a `privateKey` it signs with, or a `clientAssertion` made elsewhere, such as a workload's
 * federated token) or `none`.
 *
 * @param options - See {@link ClientCredentialsOptions}.
 * @returns A provider for a `TokenManager`.
 * @throws {TypeError} Missing or conflicting settings (named in the message).
 * @example
 * ```ts
 * import { TokenManager } from '@auth/core';
 * import { clientCredentials } from '@auth/oauth';
 *
 * const manager = new TokenManager({
 *   provider: clientCredentials({
 *     issuer: 'https://login.example.com',
 *     clientId: 'reporting',
 *     clientSecret: process.env.CLIENT_SECRET!,
 *     scope: ['reports:read'],
 *   }),
 * });
 * ```
 */
export function clientCredentials(options: ClientCredentialsOptions): TokenProvider {
  // The default is client_secret_basic: going without credentials must be said.
  if (
    options?.authMethod === undefined &&
    options?.clientSecret === undefined &&
    options?.privateKey === undefined &&
    options?.clientAssertion === undefined
  )
    throw new TypeError(
      "clientCredentials needs clientSecret or privateKey (or clientAssertion, or authMethod: 'none' for a public client)",
    );
  const client = new TokenClient('clientCredentials', options);
  const target = tokenTarget(options);
  return grantProvider({
    name: 'clientCredentials',
    cacheKey: client.cacheKey({ grant: 'client_credentials', ...target }),
    canReauthenticate: true,
    description: {
      type: 'client_credentials',
      ...client.describe(),
      scope: target.scope,
      audience: target.audience,
      resource: target.resource.join(' ') || undefined,
    },
    fetchToken: ({ signal } = {}) => client.grant('client_credentials', { ...target }, signal),
    refreshToken: (current, { signal } = {}) => client.refresh(current.refreshToken, signal),
  });
}
