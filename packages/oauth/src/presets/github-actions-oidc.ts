import { type TokenProvider, TokenResponseError, TokenSet } from '@auth/core';
import { fingerprint } from '@auth/core/internal';
import { grantProvider, joinedKey } from '../internal/grant-provider.js';
import { jsonOrThrow } from '../internal/http-response.js';
import { checkEndpointUrl } from '../internal/options.js';
import {
  type PresetOptions,
  platformEnv,
  platformSetting,
  presetTimings,
} from '../internal/platform-env.js';
import { platformRequest } from '../internal/platform-request.js';

/** Options of {@link githubActionsOidc}. */
export interface GithubActionsOidcOptions extends PresetOptions {
  /**
   * The `aud` of the token: what the relying party expects (e.g.
   * `api://AzureADTokenExchange`, a GCP workload identity provider's URL, `sts.amazonaws.com`).
   * Default: GitHub's (the URL of the repository owner).
   */
  audience?: string;
  /** The token request URL. Default the `ACTIONS_ID_TOKEN_REQUEST_URL` variable. */
  requestUrl?: string;
  /** The bearer token of that request. Default the `ACTIONS_ID_TOKEN_REQUEST_TOKEN` variable. */
  requestToken?: string;
}

const OFF_PLATFORM =
  'not running in GitHub Actions, or the job lacks `permissions: id-token: write`';

/**
 * The OIDC token GitHub Actions issues to a job (a JWT whose `sub` names the repository and
 * ref), to hand to a cloud's workload identity federation as a subject token or client
 * assertion. Asks `ACTIONS_ID_TOKEN_REQUEST_URL` (with `&audience=`) with
 * `Authorization: Bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN`; the answer is `{ value }`, whose
 * `exp` is the expiry. GitHub sets both variables only in jobs with
 * `permissions: id-token: write`. Needs `fetch` only.
 *
 * @param options - `audience`; `env`, `requestUrl`, `requestToken` to read the settings elsewhere.
 * @returns A provider for a `TokenManager`.
 * @throws {CredentialUnavailableError} At once: a variable is missing (not in Actions, or no `id-token: write`).
 * @throws {TypeError} A request URL that is not https (or http to loopback).
 * @example
 * ```ts
 * import { TokenManager } from '@auth/core';
 * import { gcpWorkloadIdentityFederation, githubActionsOidc } from '@auth/oauth/node';
 *
 * const github = new TokenManager({
 *   provider: githubActionsOidc({ audience: 'https://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/ci/providers/github' }),
 * });
 * const gcp = gcpWorkloadIdentityFederation({
 *   audience: '//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/ci/providers/github',
 *   subjectToken: () => github.getToken().then((t) => t.accessToken),
 * });
 * ```
 */
export function githubActionsOidc(options: GithubActionsOidcOptions = {}): TokenProvider {
  const env = platformEnv(options);
  const name = 'githubActionsOidc';
  const requestUrl = checkEndpointUrl(
    'ACTIONS_ID_TOKEN_REQUEST_URL',
    platformSetting(name, env, 'ACTIONS_ID_TOKEN_REQUEST_URL', options.requestUrl, OFF_PLATFORM),
  );
  const requestToken = platformSetting(
    name,
    env,
    'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
    options.requestToken,
    OFF_PLATFORM,
  );
  if (options.audience !== undefined && (typeof options.audience !== 'string' || !options.audience))
    throw new TypeError(`${name}: audience must be a non-empty string`);
  const { timeoutMs, now } = presetTimings(options);
  const url = new URL(requestUrl);
  if (options.audience !== undefined) url.searchParams.set('audience', options.audience);
  return grantProvider({
    name,
    // The job's request URL and token tag the key: a store shared between jobs (a self-hosted
    // runner's file or Redis) never serves one job's identity to another.
    cacheKey: joinedKey([
      'github-actions',
      'oidc',
      options.audience,
      fingerprint([requestUrl.href, requestToken]),
    ]),
    canReauthenticate: true,
    description: { type: 'github_actions_oidc', audience: options.audience, requestToken: 'set' },
    fetchToken: async ({ signal } = {}) => {
      const what = 'the GitHub Actions OIDC token endpoint';
      const read = await platformRequest({
        what,
        url,
        headers: { authorization: `Bearer ${requestToken}`, accept: 'application/json' },
        fetch: options.fetch,
        timeoutMs,
        secrets: [requestToken],
        signal,
      });
      const value = (jsonOrThrow(what, read, now) as { value?: unknown }).value;
      if (typeof value !== 'string' || value === '')
        throw new TokenResponseError(`${what} answered without a token (value)`);
      // No expires_in: the expiry is the JWT's exp.
      return TokenSet.fromResponse({ access_token: value, token_type: 'Bearer' }, { now });
    },
  });
}
