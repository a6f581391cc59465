/**
 * What the interop suite proves on every authorization server, in the order of the table in
 * docs/interop.md. A server either passes a feature's test or says why it cannot have one.
 */
export const FEATURES = {
  'discovery-oidc': 'discovery at `/.well-known/openid-configuration`',
  'discovery-rfc8414': 'discovery at `/.well-known/oauth-authorization-server` (RFC 8414)',
  'basic-unreserved': 'client credentials, explicit `client_secret_basic`, id with `-` `_` `.` `~`',
  post: 'client credentials, `client_secret_post`',
  'default-auth': 'client credentials, default client authentication, secret with `:+% &=`',
  'private-key-jwt': '`private_key_jwt` through discovery',
  password: 'password grant',
  refresh: 'refresh without rotation',
  'refresh-rotation': 'refresh with rotation',
  'refresh-refused': 'a refused refresh token: one new sign-in, or `SessionExpiredError`',
  revocation: 'revocation (RFC 7009)',
  device: 'device authorization (RFC 8628)',
  'code-pkce': 'authorization code + PKCE through the loopback receiver',
  'openid-nonce': 'OpenID `nonce` sent and checked in the ID token',
  'token-exchange': 'token exchange (RFC 8693)',
  'jwt-bearer': 'JWT bearer grant (RFC 7523)',
  'single-flight': '200 cold `getToken()` calls → 1 request counted by the server',
} as const;

/** A feature the suite checks. */
export type Feature = keyof typeof FEATURES;

/**
 * What one server supports: `'tested'` (its test file has a passing test for it) or the reason
 * it cannot be tested there (the server does not implement it).
 */
export interface ServerSupport {
  /** The server's name in the table. */
  name: string;
  /** Where it comes from and which version, e.g. "Debian `python3-authlib` 1.2.0". */
  source: string;
  /** Each feature: `'tested'`, or why not. */
  features: Record<Feature, 'tested' | string>;
}
