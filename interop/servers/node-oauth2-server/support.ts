import type { ServerSupport } from '../../src/features.js';

/** What `@node-oauth/oauth2-server` supports, as proven by test/node-oauth2-server.test.ts. */
export const nodeOauth2ServerSupport: ServerSupport = {
  name: '@node-oauth/oauth2-server',
  source:
    'npm `@node-oauth/oauth2-server` 5.3.0 with an in-memory model on `node:http`; the library has no discovery endpoint, so the same process serves an RFC 8414 metadata document listing its real endpoints (`/token`, `/authorize`)',
  features: {
    'discovery-oidc': 'tested',
    'discovery-rfc8414': 'tested',
    'basic-unreserved': 'tested',
    post: 'tested',
    'default-auth': 'tested',
    'private-key-jwt':
      'the library authenticates clients only with a secret (Basic or body); no client assertions',
    password: 'tested',
    refresh: 'tested',
    'refresh-rotation': 'tested',
    'refresh-refused': 'tested',
    revocation: 'the library has no revocation endpoint',
    device: 'the library has no device authorization endpoint',
    'code-pkce': 'tested',
    'openid-nonce': 'the library is OAuth 2.0 only: no OpenID Connect, no ID tokens',
    'token-exchange':
      'the library has no token exchange grant, only `extendedGrantTypes` for grant handlers the application writes',
    'jwt-bearer':
      'the library has no JWT bearer grant, only `extendedGrantTypes` for grant handlers the application writes',
    'single-flight': 'tested',
  },
};
