import { type TokenProvider, TokenResponseError, TokenSet } from '@auth/core';
import { fingerprint, presence } from '@auth/core/internal';
import { grantProvider, joinedKey } from '../internal/grant-provider.js';
import { jsonOrThrow, tokenSetOrThrow } from '../internal/http-response.js';
import { checkEndpointUrl, requiredString } from '../internal/options.js';
import { type PresetOptions, presetTimings } from '../internal/platform-env.js';
import { platformRequest } from '../internal/platform-request.js';
import { checkSource, readTokenInput, sourceTag } from '../internal/token-input.js';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT, type TokenInput } from '../token-exchange.js';

const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';
const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/** Options of {@link gcpWorkloadIdentityFederation}. */
export interface GcpWorkloadIdentityFederationOptions extends Omit<PresetOptions, 'env'> {
  /**
   * The workload identity pool provider:
   * `//iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>`.
   */
  audience: string;
  /**
   * The external token: a string, or a function returning the current one (e.g.
   * `tokenFile(path)` from `@auth/oauth/node`, or a GitHub Actions OIDC token from a `TokenManager`).
   */
  subjectToken: TokenInput;
  /** Its type. Default `urn:ietf:params:oauth:token-type:jwt` (OIDC tokens); SAML: `urn:ietf:params:oauth:token-type:saml2`. */
  subjectTokenType?: string;
  /**
   * The service account to impersonate:
   * `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/<email>:generateAccessToken`.
   * Without it, the federated token is used directly (the principal needs the roles itself).
   */
  serviceAccountImpersonationUrl?: string;
  /** The scopes of the token. Default `https://www.googleapis.com/auth/cloud-platform`. */
  scopes?: readonly string[];
  /** The impersonated token's lifetime, in seconds (Google allows up to 3 600 by default). Default 3 600. */
  lifetimeSeconds?: number;
  /** The Security Token Service. Default `https://sts.googleapis.com/v1/token`. */
  tokenUrl?: string;
  /** Tells subjects apart in the cache key when `subjectToken` is a function. */
  subjectKey?: string;
}

/**
 * Google Cloud workload identity federation: trades an external token (GitHub Actions, an
 * OIDC provider, Kubernetes, Entra) at Google's Security Token Service for a federated access
 * token (RFC 8693 token exchange, no client authentication), then, with
 * `serviceAccountImpersonationUrl`, trades that for a service account's access token
 * (`generateAccessToken`: POST `{ scope, lifetime }` with the federated token, answer
 * `{ accessToken, expireTime }`). The same two requests as a `credential_source`
 * configuration of Google's own libraries, without the configuration file. Needs `fetch` only.
 *
 * @param options - See {@link GcpWorkloadIdentityFederationOptions}.
 * @returns A provider for a `TokenManager`.
 * @throws {TypeError} Missing or invalid settings (named in the message).
 * @example
 * ```ts
 * import { TokenManager } from '@auth/core';
 * import { gcpWorkloadIdentityFederation, tokenFile } from '@auth/oauth/node';
 *
 * const manager = new TokenManager({
 *   provider: gcpWorkloadIdentityFederation({
 *     audience: '//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/pool/providers/k8s',
 *     subjectToken: tokenFile('/var/run/secrets/tokens/gcp-token'),
 *     serviceAccountImpersonationUrl:
 *       'https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/app@proj.iam.gserviceaccount.com:generateAccessToken',
 *   }),
 * });
 * ```
 */
export function gcpWorkloadIdentityFederation(
  options: GcpWorkloadIdentityFederationOptions,
): TokenProvider {
  const name = 'gcpWorkloadIdentityFederation';
  const audience = requiredString(name, 'audience', options?.audience);
  checkSource('subjectToken', options.subjectToken, true);
  const stsUrl = checkEndpointUrl(
    'tokenUrl',
    options.tokenUrl ?? 'https://sts.googleapis.com/v1/token',
  );
  const impersonationUrl =
    options.serviceAccountImpersonationUrl === undefined
      ? undefined
      : checkEndpointUrl('serviceAccountImpersonationUrl', options.serviceAccountImpersonationUrl);
  const scopes = options.scopes ?? [CLOUD_PLATFORM_SCOPE];
  if (
    !Array.isArray(scopes) ||
    scopes.length === 0 ||
    !scopes.every((s) => typeof s === 'string' && s)
  )
    throw new TypeError(`${name}: scopes must be a non-empty list of scope strings`);
  const lifetimeSeconds = options.lifetimeSeconds ?? 3_600;
  if (!Number.isSafeInteger(lifetimeSeconds) || lifetimeSeconds <= 0)
    throw new TypeError(`${name}: lifetimeSeconds must be a positive whole number`);
  const { timeoutMs, now } = presetTimings(options);
  const common = { fetch: options.fetch, timeoutMs };

  const federatedToken = async (signal?: AbortSignal): Promise<TokenSet> => {
    const subject = await readTokenInput(options.subjectToken);
    const body = new URLSearchParams({
      grant_type: TOKEN_EXCHANGE_GRANT,
      audience,
      // Impersonation decides the final scopes; the federated token only needs to call it.
      scope: impersonationUrl === undefined ? scopes.join(' ') : CLOUD_PLATFORM_SCOPE,
      requested_token_type: ACCESS_TOKEN_TYPE,
      subject_token: subject,
      subject_token_type: options.subjectTokenType ?? JWT_TOKEN_TYPE,
    });
    const response = await platformRequest({
      ...common,
      what: 'the Google Security Token Service',
      url: stsUrl,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      secrets: [subject],
      signal,
    });
    return tokenSetOrThrow('the Google Security Token Service', response, now);
  };

  const impersonated = async (url: URL, federated: TokenSet, signal?: AbortSignal) => {
    const what = 'the IAM Credentials generateAccessToken endpoint';
    const response = await platformRequest({
      ...common,
      what,
      url,
      method: 'POST',
      headers: {
        authorization: `Bearer ${federated.accessToken}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({ scope: scopes, lifetime: `${lifetimeSeconds}s` }),
      secrets: [federated.accessToken],
      signal,
    });
    const body = jsonOrThrow(what, response, now) as {
      accessToken?: unknown;
      expireTime?: unknown;
    };
    const expiresAt =
      typeof body.expireTime === 'string' ? Date.parse(body.expireTime) : Number.NaN;
    if (typeof body.accessToken !== 'string' || !Number.isFinite(expiresAt))
      throw new TokenResponseError(`${what} answered without accessToken and expireTime`);
    return TokenSet.fromResponse(
      {
        access_token: body.accessToken,
        token_type: 'Bearer',
        expires_in: Math.floor((expiresAt - now()) / 1000),
      },
      { now },
    );
  };

  return grantProvider({
    name,
    cacheKey: joinedKey([
      'gcp-wif',
      audience,
      impersonationUrl?.href,
      scopes.join(' '),
      options.subjectKey,
      fingerprint([sourceTag(options.subjectToken)]),
    ]),
    canReauthenticate: true,
    description: {
      type: 'gcp_workload_identity_federation',
      audience,
      tokenUrl: stsUrl.href,
      serviceAccountImpersonationUrl: impersonationUrl?.href,
      scopes: scopes.join(' '),
      subjectToken: presence(options.subjectToken),
    },
    fetchToken: async ({ signal } = {}) => {
      const federated = await federatedToken(signal);
      return impersonationUrl === undefined
        ? federated
        : impersonated(impersonationUrl, federated, signal);
    },
  });
}
