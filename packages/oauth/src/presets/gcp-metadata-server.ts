import { CredentialUnavailableError, type TokenProvider } from '@auth/core';
import { grantProvider, joinedKey } from '../internal/grant-provider.js';
import { tokenSetOrThrow } from '../internal/http-response.js';
import {
  type MetadataServerOptions,
  platformEnv,
  presetTimings,
} from '../internal/platform-env.js';
import { PlatformProbe, platformRequest } from '../internal/platform-request.js';

/** Options of {@link gcpMetadataServer}. */
export interface GcpMetadataServerOptions extends MetadataServerOptions {
  /**
   * Scopes to ask for (honoured on Compute Engine; GKE and Cloud Run give the service
   * account's scopes). Default: the instance's.
   */
  scopes?: readonly string[];
  /** The service account: its email, or `default`. Default `default`. */
  serviceAccount?: string;
  /**
   * The metadata server's host (and port). Default the `GCE_METADATA_HOST` variable, else
   * `metadata.google.internal`.
   */
  host?: string;
}

/**
 * The access token of a Google Cloud workload's service account from the instance metadata
 * server (Compute Engine, GKE with workload identity, Cloud Run, Cloud Functions, App Engine):
 * GET `http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token`
 * with `Metadata-Flavor: Google`. The answer must carry `Metadata-Flavor: Google` too.
 *
 * Plain `http:` by design: the metadata server is a link-local service of the platform
 * (169.254.169.254 behind that name), reached without leaving the host's virtual network, and
 * the `Metadata-Flavor` header guards against requests forwarded from elsewhere (SSRF). Needs
 * `fetch` only.
 *
 * Off Google Cloud the name does not resolve or nothing answers: `fetchToken` fails within
 * `answerTimeoutMs` (default 1 s) with `CredentialUnavailableError`.
 *
 * @param options - `scopes`, `serviceAccount`, `host`, `answerTimeoutMs`.
 * @returns A provider for a `TokenManager`.
 * @throws {TypeError} Invalid settings.
 * @example
 * ```ts
 * import { TokenManager } from '@auth/core';
 * import { gcpMetadataServer } from '@auth/oauth/node';
 *
 * const manager = new TokenManager({ provider: gcpMetadataServer() });
 * ```
 */
export function gcpMetadataServer(options: GcpMetadataServerOptions = {}): TokenProvider {
  const name = 'gcpMetadataServer';
  const env = platformEnv(options);
  const host = options.host ?? env.GCE_METADATA_HOST ?? 'metadata.google.internal';
  const account = options.serviceAccount ?? 'default';
  const url = new URL(
    `http://${host}/computeMetadata/v1/instance/service-accounts/${encodeURIComponent(account)}/token`,
  );
  if (options.scopes !== undefined) {
    if (!Array.isArray(options.scopes) || !options.scopes.every((s) => typeof s === 'string' && s))
      throw new TypeError(`${name}: scopes must be a list of scope strings`);
    url.searchParams.set('scopes', options.scopes.join(','));
  }
  const { timeoutMs, answerTimeoutMs, now } = presetTimings(options);
  const what = 'the GCP metadata server';
  const probe = new PlatformProbe(answerTimeoutMs);
  return grantProvider({
    name,
    cacheKey: joinedKey(['gcp-metadata', url.host, account, options.scopes?.join(' ')]),
    canReauthenticate: true,
    description: {
      type: 'gcp_metadata_server',
      host: url.host,
      serviceAccount: account,
      scopes: options.scopes?.join(' '),
      answerTimeoutMs,
    },
    fetchToken: async ({ signal } = {}) => {
      const read = await platformRequest({
        what,
        url,
        headers: { 'metadata-flavor': 'Google' },
        fetch: options.fetch,
        timeoutMs,
        probe,
        signal,
      });
      if (read.headers.get('metadata-flavor') !== 'Google')
        throw new CredentialUnavailableError(
          `${what} at ${url.host} answered without Metadata-Flavor: Google: not a GCP metadata server`,
          { source: `${url.origin}${url.pathname}` },
        );
      return tokenSetOrThrow(what, read, now);
    },
  });
}
