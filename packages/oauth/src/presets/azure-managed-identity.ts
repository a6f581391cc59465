import { type TokenProvider, TokenSet } from '@auth/core';
import { grantProvider, joinedKey } from '../internal/grant-provider.js';
import { jsonOrThrow } from '../internal/http-response.js';
import { requiredString } from '../internal/options.js';
import {
  type MetadataServerOptions,
  platformEnv,
  presetTimings,
} from '../internal/platform-env.js';
import { PlatformProbe, platformRequest } from '../internal/platform-request.js';

/** The Azure Instance Metadata Service's token endpoint. */
const IMDS_TOKEN_URL = 'http://169.254.169.254/metadata/identity/oauth2/token';

/** Options of {@link azureManagedIdentity}. */
export interface AzureManagedIdentityOptions extends MetadataServerOptions {
  /** The resource (App ID URI) the token is for, e.g. `https://management.azure.com/`. */
  resource: string;
  /** The client id of a user-assigned identity. Default: the system-assigned identity. */
  clientId?: string;
  /** The IMDS token endpoint. Default `http://169.254.169.254/metadata/identity/oauth2/token`. */
  imdsUrl?: string;
  /** App Service's identity endpoint. Default the `IDENTITY_ENDPOINT` variable. */
  identityEndpoint?: string;
  /** App Service's identity header value (a secret). Default the `IDENTITY_HEADER` variable. */
  identityHeader?: string;
}

/**
 * The token of an Azure managed identity. On App Service, Functions and Container Apps
 * (`IDENTITY_ENDPOINT` and `IDENTITY_HEADER` set) it asks the local identity endpoint
 * (`api-version=2019-08-01`, header `X-IDENTITY-HEADER`); elsewhere (virtual machines, scale
 * sets) the Instance Metadata Service: GET
 * `http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=…`
 * with `Metadata: true`. The expiry is `expires_on` (epoch seconds, as a string), else
 * `expires_in`.
 *
 * Plain `http:` by design: IMDS is a link-local address the platform serves on the host
 * itself (never routed off it), and requires the `Metadata: true` header, which a forwarded
 * request (SSRF) lacks; App Service's endpoint is local to the sandbox. Needs `fetch` only.
 *
 * Off Azure nothing answers at 169.254.169.254: `fetchToken` fails within `answerTimeoutMs`
 * (default 1 s) with `CredentialUnavailableError`.
 *
 * @param options - `resource`, `clientId`; `env`, `imdsUrl`, `identityEndpoint`,
 *   `identityHeader`, `answerTimeoutMs`.
 * @returns A provider for a `TokenManager`.
 * @throws {TypeError} Missing or invalid settings.
 * @example
 * ```ts
 * import { TokenManager } from '@auth/core';
 * import { azureManagedIdentity } from '@auth/oauth/node';
 *
 * const manager = new TokenManager({
 *   provider: azureManagedIdentity({ resource: 'https://vault.azure.net' }),
 * });
 * ```
 */
export function azureManagedIdentity(options: AzureManagedIdentityOptions): TokenProvider {
  const name = 'azureManagedIdentity';
  const resource = requiredString(name, 'resource', options?.resource);
  if (options.clientId !== undefined) requiredString(name, 'clientId', options.clientId);
  const env = platformEnv(options);
  const endpoint = options.identityEndpoint ?? env.IDENTITY_ENDPOINT;
  const header = options.identityHeader ?? env.IDENTITY_HEADER;
  const appService = Boolean(endpoint && header);
  const url = new URL(appService ? endpoint! : (options.imdsUrl ?? IMDS_TOKEN_URL));
  url.searchParams.set('api-version', appService ? '2019-08-01' : '2018-02-01');
  url.searchParams.set('resource', resource);
  if (options.clientId !== undefined) url.searchParams.set('client_id', options.clientId);
  const { timeoutMs, answerTimeoutMs, now } = presetTimings(options);
  const what = appService
    ? 'the App Service identity endpoint'
    : 'the Azure Instance Metadata Service';
  // The App Service variables say the platform is there; only IMDS is probed.
  const probe = appService ? undefined : new PlatformProbe(answerTimeoutMs);
  return grantProvider({
    name,
    cacheKey: joinedKey([
      'azure-managed-identity',
      `${url.origin}${url.pathname}`,
      options.clientId,
      resource,
    ]),
    canReauthenticate: true,
    description: {
      type: 'azure_managed_identity',
      endpoint: appService ? 'app_service' : 'imds',
      resource,
      clientId: options.clientId,
      ...(appService ? { identityHeader: 'set' } : { answerTimeoutMs }),
    },
    fetchToken: async ({ signal } = {}) => {
      const read = await platformRequest({
        what,
        url,
        headers: appService ? { 'x-identity-header': header! } : { metadata: 'true' },
        fetch: options.fetch,
        timeoutMs,
        probe,
        secrets: [header],
        signal,
      });
      const body = jsonOrThrow(what, read, now) as Record<string, unknown>;
      const expiresOn =
        body.expires_on === undefined || body.expires_on === ''
          ? Number.NaN
          : Number(body.expires_on);
      return TokenSet.fromResponse(
        {
          ...body,
          // expires_on is absolute (epoch seconds, as a string); App Service sends no expires_in.
          expires_in: Number.isFinite(expiresOn)
            ? Math.floor(expiresOn - now() / 1000)
            : body.expires_in,
          refresh_token: undefined,
        },
        { now },
      );
    },
  });
}
