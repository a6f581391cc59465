export { type EncryptedStoreOptions, encryptedStore } from './encrypted-store.js';
export {
  AuthError,
  type AuthErrorCode,
  type AuthErrorOptions,
  AuthenticationError,
  type AuthenticationErrorFields,
  CredentialUnavailableError,
  type CredentialUnavailableErrorFields,
  OAuthError,
  type OAuthErrorFields,
  SessionExpiredError,
  TokenEndpointError,
  type TokenEndpointErrorFields,
  TokenResponseError,
  type TokenResponseErrorCode,
  type TokenResponseErrorOptions,
  TokenSetFormatError,
  TokenStoreError,
  type TokenStoreErrorFields,
} from './errors.js';
export { isLoopbackHost } from './loopback-host.js';
export { MemoryTokenStore, type MemoryTokenStoreOptions } from './memory-token-store.js';
export { entryKindError, isSealedRecord, sealedRecord } from './sealed-record.js';
export { type StaticTokenOptions, staticToken } from './static-token.js';
export { type ApiKeyAuthOptions, apiKeyAuth } from './strategies/api-key-auth.js';
export type {
  AuthRequest,
  AuthStrategy,
  UnauthorizedResponse,
  UnauthorizedState,
} from './strategies/auth-strategy.js';
export { basicAuth } from './strategies/basic-auth.js';
export { bearerAuth } from './strategies/bearer-auth.js';
export { type DPoPAuthOptions, dpopAuth } from './strategies/dpop-auth.js';
export {
  type DPoPKeyPair,
  dpopKeyPair,
  type GenerateDPoPKeyPairOptions,
  generateDPoPKeyPair,
} from './strategies/dpop-key-pair.js';
export {
  type HttpSignatureAuthOptions,
  httpSignatureAuth,
} from './strategies/http-signature-auth.js';
export { type KeyPairAuthOptions, keyPairAuth } from './strategies/key-pair-auth.js';
export { type SignedKeyAuthOptions, signedKeyAuth } from './strategies/signed-key-auth.js';
export type { PrivateKeyInput, SigningAlgorithm } from './strategies/signing-key.js';
export { type TokenManagerLike, tokenAuth } from './strategies/token-auth.js';
export { type TokenFunctionOptions, tokenFunction } from './token-function.js';
export {
  type ForceRefreshOptions,
  type RetryOptions,
  TokenManager,
  type TokenManagerOptions,
} from './token-manager.js';
export type {
  LockWaitEvent,
  RefreshFailedEvent,
  SessionExpiredEvent,
  StoreErrorEvent,
  TokenKeptEvent,
  TokenManagerEvent,
  TokenManagerEventBase,
  TokenObtainedEvent,
} from './token-manager-events.js';
export type { ProviderDescription, TokenProvider, TokenRequestOptions } from './token-provider.js';
export {
  type RedactedTokenSet,
  type SerializedTokenSet,
  type TokenResponseOptions,
  TokenSet,
  type TokenSetInit,
} from './token-set.js';
export {
  keepUntil,
  type SealedRecord,
  type TokenLock,
  type TokenStore,
  type WaitForUpdateOptions,
} from './token-store.js';
