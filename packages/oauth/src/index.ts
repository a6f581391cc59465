/**
 * OAuth 2.0 grants as `TokenProvider`s for `@auth/core`, with discovery, revocation,
 * multi-step pipelines and providers built from config or the environment. Runs on any
 * runtime with `fetch` and WebCrypto.
 *
 * @module @auth/oauth
 */
export {
  type AuthorizationCodeClientOptions,
  type AuthorizationCodeOptions,
  type AuthorizationRequest,
  authorizationCode,
  createAuthorizationRequest,
  exchangeAuthorizationCode,
} from './authorization-code.js';
export { type ClientCredentialsOptions, clientCredentials } from './client-credentials.js';
export type { ConfigGrant, ProviderConfig, ProviderConfigHooks } from './config/provider-config.js';
export { providerFromConfig } from './config/provider-from-config.js';
export { type ProviderFromEnvOptions, providerFromEnv } from './config/provider-from-env.js';
export {
  type DeviceAuthorizationOptions,
  type DeviceUserCode,
  deviceAuthorization,
} from './device-authorization.js';
export {
  type AuthorizationServerMetadata,
  type DiscoverOptions,
  DiscoveryCache,
  discover,
} from './discovery.js';
export type {
  ClientAssertionAlgorithm,
  ClientAuthMethod,
  ClientOptions,
  DPoPOptions,
  EndpointOptions,
} from './endpoint-options.js';
export { type JwtBearerOptions, jwtBearer } from './jwt-bearer.js';
export { type PasswordGrantOptions, passwordGrant } from './password-grant.js';
export { type HttpTokenStepOptions, httpTokenStep } from './pipeline/http-token-step.js';
export type { PipelineStep, StepContext } from './pipeline/pipeline-step.js';
export { type TokenPipelineOptions, tokenPipeline } from './pipeline/token-pipeline.js';
export { type RefreshTokenGrantOptions, refreshTokenGrant } from './refresh-token-grant.js';
export { type RevokeTokenOptions, revokeToken } from './revoke-token.js';
export {
  ACCESS_TOKEN_TYPE,
  type TokenExchangeOptions,
  type TokenInput,
  tokenExchange,
} from './token-exchange.js';
