import type { TokenProvider } from '@auth/core';
import { clientCredentials } from '../client-credentials.js';
import { grantProvider } from '../internal/grant-provider.js';
import { type PresetOptions, platformEnv, platformSetting } from '../internal/platform-env.js';
import { tokenFile } from '../node/token-file.js';

/** Azure's public cloud authority; sovereign clouds set `AZURE_AUTHORITY_HOST`. */
const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com/';

/** Options of {@link azureWorkloadIdentity}. */
export interface AzureWorkloadIdentityOptions extends PresetOptions {
  /** The scope: the resource's App ID URI with `/.default`, e.g. `https://graph.microsoft.com/.default`. */
  scope: string | readonly string[];
  /** The application (client) id. Default the `AZURE_CLIENT_ID` variable. */
  clientId?: string;
  /** The directory (tenant) id. Default the `AZURE_TENANT_ID` variable. */
  tenantId?: string;
  /** The federated token file. Default the `AZURE_FEDERATED_TOKEN_FILE` variable. */
  tokenFilePath?: string;
  /**
   * The Microsoft Entra authority. Default the `AZURE_AUTHORITY_HOST` variable, else
   * `https://login.microsoftonline.com/`.
   */
  authorityHost?: string;
}

const OFF_PLATFORM = 'not a pod with Azure workload identity (azure.workload.identity/use: "true")';

/**
 * Microsoft Entra workload identity (AKS, or any cluster federated with an app registration):
 * the client credentials grant at `{authority}{tenant}/oauth2/v2.0/token` with the
 * federated service-account token of `AZURE_FEDERATED_TOKEN_FILE` as client assertion
 * (RFC 7523; `clientAssertion` with {@link tokenFile}, re-read when kubelet rotates it).
 * The webhook sets `AZURE_CLIENT_ID`, `AZURE_TENANT_ID`, `AZURE_FEDERATED_TOKEN_FILE` and
 * `AZURE_AUTHORITY_HOST`. Node only (`node:fs`).
 *
 * @param options - `scope`; `env` or the settings themselves to read them elsewhere.
 * @returns A provider for a `TokenManager`.
 * @throws {CredentialUnavailableError} At once: a variable is missing (not in such a pod);
 *   from `fetchToken`: the token file is missing or empty.
 * @throws {TypeError} Invalid settings.
 * @example
 * ```ts
 * import { TokenManager } from '@auth/core';
 * import { azureWorkloadIdentity } from '@auth/oauth/node';
 *
 * const manager = new TokenManager({
 *   provider: azureWorkloadIdentity({ scope: 'https://storage.azure.com/.default' }),
 * });
 * ```
 */
export function azureWorkloadIdentity(options: AzureWorkloadIdentityOptions): TokenProvider {
  const env = platformEnv(options);
  const name = 'azureWorkloadIdentity';
  const clientId = platformSetting(name, env, 'AZURE_CLIENT_ID', options.clientId, OFF_PLATFORM);
  const tenantId = platformSetting(name, env, 'AZURE_TENANT_ID', options.tenantId, OFF_PLATFORM);
  const file = platformSetting(
    name,
    env,
    'AZURE_FEDERATED_TOKEN_FILE',
    options.tokenFilePath,
    OFF_PLATFORM,
  );
  const authority = options.authorityHost ?? env.AZURE_AUTHORITY_HOST ?? DEFAULT_AUTHORITY_HOST;
  const tokenUrl = new URL(
    `${encodeURIComponent(tenantId)}/oauth2/v2.0/token`,
    authority.endsWith('/') ? authority : `${authority}/`,
  );
  const grant = clientCredentials({
    tokenUrl,
    clientId,
    clientAssertion: tokenFile(file, { now: options.now }),
    scope: options.scope,
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    now: options.now,
  });
  return grantProvider({
    name,
    cacheKey: grant.cacheKey,
    canReauthenticate: true,
    description: { ...grant.describe?.(), type: 'azure_workload_identity', tokenFile: file },
    fetchToken: (request) => grant.fetchToken(request),
  });
}
