/**
 * What needs Node (`node:fs`, `process.env`): {@link tokenFile}, a getter of a token kept in
 * a file, and the presets of the common platforms' workload identities. Each preset returns a
 * `TokenProvider` and reads its platform's own variables unless given settings.
 *
 * @module @auth/oauth/node
 */

export type {
  MetadataServerOptions,
  PlatformEnv,
  PresetOptions,
} from './internal/platform-env.js';
export { type TokenFileOptions, tokenFile } from './node/token-file.js';
export {
  type AzureManagedIdentityOptions,
  azureManagedIdentity,
} from './presets/azure-managed-identity.js';
export {
  type AzureWorkloadIdentityOptions,
  azureWorkloadIdentity,
} from './presets/azure-workload-identity.js';
export {
  type GcpMetadataServerOptions,
  gcpMetadataServer,
} from './presets/gcp-metadata-server.js';
export {
  type GcpWorkloadIdentityFederationOptions,
  gcpWorkloadIdentityFederation,
} from './presets/gcp-workload-identity-federation.js';
export { type GithubActionsOidcOptions, githubActionsOidc } from './presets/github-actions-oidc.js';
export {
  KUBERNETES_TOKEN_PATH,
  type KubernetesServiceAccountOptions,
  kubernetesServiceAccount,
} from './presets/kubernetes-service-account.js';
