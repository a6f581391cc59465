export {
  type DPoPProofClaims,
  type DPoPProtectedApi,
  type DPoPProtectedApiOptions,
  type DPoPRequestRecord,
  startDPoPProtectedApi,
} from './http/dpop-protected-api.js';
export {
  type Handler,
  type LoopbackServer,
  type LoopbackServerOptions,
  listenOnLoopback,
  readBody,
  sendJson,
} from './http/listen.js';
export {
  type MtlsProtectedApi,
  type MtlsProtectedApiOptions,
  type MtlsRequestRecord,
  startMtlsProtectedApi,
} from './http/mtls-protected-api.js';
export {
  type ApiRequestRecord,
  bearerTokenCheck,
  type ProtectedApi,
  type ProtectedApiOptions,
  startProtectedApi,
} from './http/protected-api.js';
export {
  httpSignatureCheck,
  type SignatureCheck,
  secureSchemeCheck,
  startVerifyingServer,
  type VerifiedRequest,
  type VerifyingServer,
} from './http/signature-verifier.js';
export { type TestClientProviderOptions, testClientProvider } from './http/test-client-provider.js';
export {
  startTokenServer,
  type TokenRequestRecord,
  type TokenServer,
  type TokenServerFault,
  type TokenServerOptions,
} from './http/token-server.js';
