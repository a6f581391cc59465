import { randomBytes } from 'node:crypto';
import type { Configuration } from 'oidc-provider';
import type { TestKeys } from './clients.js';
import { mapAdapterFactory } from './memory-adapter.js';
import { DEVICE_FLOW_PAGES, renderErrorPage } from './pages.js';
import type { TestUser } from './users.js';

/** Lifetimes (seconds) the test bed reads on every issue, so tests can change them live. */
export interface TestBedTimings {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  deviceCodeTtlSeconds: number;
  /** The `interval` the device authorization response advertises. */
  devicePollIntervalSeconds: number;
}

/** Scopes the test bed knows. `api:*` are also the scopes of every resource server. */
export const TEST_SCOPES = ['openid', 'offline_access', 'profile', 'api:read', 'api:write'];

/**
 * The oidc-provider configuration of the test bed: client credentials, device flow,
 * HTML pages for the device flow and errors, revocation, introspection, resource
 * indicators and DPoP (RFC 9449, with server nonces
 * demanded while `requireDPoPNonce()` says so) on; refresh tokens always issued
 * (when the client may refresh) and always rotated; PKCE S256 required; custom
 * interaction routes; a per-bed in-memory adapter.
 *
 * @param input - Clients, keys, users and the live timings.
 * @returns The configuration object.
 */
export function testBedConfiguration(input: {
  clients: Configuration['clients'];
  keys: TestKeys;
  users: readonly TestUser[];
  timings: TestBedTimings;
  /** Whether the token endpoint demands a DPoP nonce (`use_dpop_nonce`), read per request. */
  requireDPoPNonce: () => boolean;
}): Configuration {
  const { timings, users } = input;
  return {
    adapter: mapAdapterFactory(),
    clients: input.clients,
    jwks: input.keys.providerJwks as Configuration['jwks'],
    cookies: { keys: ['oidc-test-bed-cookie-key'] },
    scopes: TEST_SCOPES,
    claims: { openid: ['sub'], profile: ['name'] },
    pkce: { required: () => true, methods: ['S256'] },
    findAccount: (_ctx, sub) =>
      users.some((user) => user.username === sub)
        ? { accountId: sub, claims: () => ({ sub, name: sub }) }
        : undefined,
    renderError: renderErrorPage,
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: () => true,
    ttl: {
      AccessToken: () => timings.accessTokenTtlSeconds,
      ClientCredentials: () => timings.accessTokenTtlSeconds,
      RefreshToken: () => timings.refreshTokenTtlSeconds,
      DeviceCode: () => timings.deviceCodeTtlSeconds,
      AuthorizationCode: 60,
      Grant: 86_400,
      Interaction: 600,
      Session: 86_400,
      IdToken: 3600,
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      deviceFlow: { enabled: true, ...DEVICE_FLOW_PAGES },
      revocation: { enabled: true },
      introspection: { enabled: true },
      dPoP: {
        enabled: true,
        nonceSecret: randomBytes(32),
        requireNonce: () => input.requireDPoPNonce(),
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined as unknown as string,
        useGrantedResource: () => false,
        getResourceServerInfo: (_ctx, resource) => ({
          scope: 'api:read api:write',
          audience: resource,
          accessTokenTTL: timings.accessTokenTtlSeconds,
          accessTokenFormat: 'opaque',
        }),
      },
    },
  };
}
