import { type TokenProvider, tokenFunction } from '@auth/core';
import { grantProvider } from '../internal/grant-provider.js';
import { type TokenFileOptions, tokenFile } from '../node/token-file.js';

/** Where Kubernetes mounts a pod's service-account token. */
export const KUBERNETES_TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** Options of {@link kubernetesServiceAccount}. */
export interface KubernetesServiceAccountOptions extends TokenFileOptions {
  /**
   * The token file: the default mount, or the path of a projected volume with its own
   * audience (`serviceAccountToken.path`). Default `/var/run/secrets/kubernetes.io/serviceaccount/token`.
   */
  path?: string;
}

/**
 * A pod's Kubernetes service-account token as a bearer token, for the Kubernetes API or any
 * service that validates those tokens (TokenReview, OIDC discovery of the cluster issuer).
 * The file is read through {@link tokenFile}: kubelet rotates projected tokens in place (at
 * 80% of their lifetime), and the expiry is the JWT `exp`, so a `TokenManager` picks the new
 * token up before the old one expires. Node only (`node:fs`).
 *
 * Off Kubernetes the file is missing: `fetchToken` fails with `CredentialUnavailableError`
 * naming the path.
 *
 * @param options - `path`, `minRereadMs`, `now`.
 * @returns A provider for a `TokenManager`.
 * @throws {TypeError} An empty path or an invalid `minRereadMs`.
 * @example
 * ```ts
 * import { TokenManager, tokenAuth } from '@auth/core';
 * import { kubernetesServiceAccount } from '@auth/oauth/node';
 *
 * const manager = new TokenManager({
 *   provider: kubernetesServiceAccount({ path: '/var/run/secrets/tokens/vault-token' }),
 * });
 * const auth = tokenAuth(manager); // Authorization: Bearer <projected token>
 * ```
 */
export function kubernetesServiceAccount(
  options: KubernetesServiceAccountOptions = {},
): TokenProvider {
  const path = options.path ?? KUBERNETES_TOKEN_PATH;
  const cacheKey = `kubernetes:serviceaccount:${path}`;
  const source = tokenFunction(tokenFile(path, options), { cacheKey, now: options.now });
  return grantProvider({
    name: 'kubernetesServiceAccount',
    cacheKey,
    canReauthenticate: true,
    description: { type: 'kubernetes_service_account', path },
    fetchToken: () => source.fetchToken(),
  });
}
