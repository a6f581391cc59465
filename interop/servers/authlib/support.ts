import type { ServerSupport } from '../../src/features.js';

/** Authlib's row of the interop table: what `interop/test/authlib.test.ts` proves. */
export const authlibSupport: ServerSupport = {
  name: 'Authlib',
  source:
    'Debian `python3-authlib` 1.2.0 (Flask 2.2 integration, in-memory models: `interop/servers/authlib/server.py`); Authlib validates but does not serve metadata, so the same process serves both well-known documents listing its real endpoints',
  features: {
    'discovery-oidc': 'tested',
    'discovery-rfc8414': 'tested',
    'basic-unreserved': 'tested',
    post: 'tested',
    'default-auth': 'tested',
    'private-key-jwt': 'tested',
    password: 'tested',
    refresh: 'tested',
    'refresh-rotation': 'tested',
    'refresh-refused': 'tested',
    revocation: 'tested',
    device: 'tested',
    'code-pkce': 'tested',
    'openid-nonce': 'tested',
    'token-exchange':
      'Authlib 1.2 does not implement token exchange (its `authlib.oauth2.rfc8693` module is empty)',
    'jwt-bearer': 'tested',
    'single-flight': 'tested',
  },
};
