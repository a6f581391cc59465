import type { ServerSupport } from '../../src/features.js';

/** `@jmondi/oauth2-server`'s row of the support table (proved by test/jmondi.test.ts). */
export const jmondiSupport: ServerSupport = {
  name: '@jmondi/oauth2-server',
  source:
    'npm `@jmondi/oauth2-server` 4.3.7, in-memory repositories, on `node:http` through its fetch (`vanilla`) adapter; the library has no discovery endpoint, so the test process serves an RFC 8414 document of its real endpoints at both well-known paths',
  features: {
    'discovery-oidc': 'tested',
    'discovery-rfc8414': 'tested',
    'basic-unreserved': 'tested',
    post: 'tested',
    'default-auth': 'tested',
    'private-key-jwt':
      'no `private_key_jwt`: clients authenticate only with `client_id` and `client_secret` (Basic or body)',
    password: 'tested',
    refresh: 'tested',
    'refresh-rotation': 'tested',
    'refresh-refused': 'tested',
    revocation: 'tested',
    device: 'no device authorization grant (RFC 8628) among its grants',
    'code-pkce': 'tested',
    'openid-nonce': 'not an OpenID provider: issues no ID tokens',
    'token-exchange': 'tested',
    'jwt-bearer': 'no JWT bearer grant (RFC 7523) among its grants',
    'single-flight': 'tested',
  },
};
