export type {
  KeyClient,
  PublicClient,
  SecretClient,
  TestClients,
  TestKeys,
} from './oidc/clients.js';
export { GRANT_TYPES } from './oidc/clients.js';
export { TEST_SCOPES, type TestBedTimings } from './oidc/configuration.js';
export type { LoginCredentials } from './oidc/interactions.js';
export type {
  MutualTlsClient,
  MutualTlsEndpoints,
  MutualTlsOptions,
} from './oidc/mutual-tls.js';
export {
  type OidcProviderOptions,
  type OidcTestBed,
  type OidcTokenRequestRecord,
  startOidcProvider,
} from './oidc/start-oidc-provider.js';
export type { IssuedTokenInfo } from './oidc/token-inspection.js';
export { TEST_USERS, type TestUser, totpCode } from './oidc/users.js';
