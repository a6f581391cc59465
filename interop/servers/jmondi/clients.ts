import type { OAuthClient, OAuthScope } from '@jmondi/oauth2-server';
import type { TestUser } from './repositories.js';

/** The one scope the test server knows. */
export const JMONDI_SCOPES: readonly OAuthScope[] = [{ name: 'read' }];

/** The signed-in user of the authorization code flow, also the password grant's user. */
export const ALICE = { id: 'alice', password: 'wonderland' } as const;

/** The users of the test server. */
export const JMONDI_USERS: readonly TestUser[] = [{ ...ALICE }];

/** A client's credentials as the providers of `@auth/oauth` take them. */
export interface ClientCredentialsInput {
  /** `client_id`. */
  clientId: string;
  /** `client_secret` (absent for a public client). */
  clientSecret?: string;
}

/** The clients the tests use, by role. */
export const CLIENTS = {
  /** Client credentials; an id with every RFC 3986 unreserved punctuation character. */
  unreserved: { clientId: 'cc-plain_x.y~z', clientSecret: 'plain-secret_1.2~3' },
  /** Client credentials; a secret that Basic must percent-encode (`:+% &=`). */
  special: { clientId: 'ccspecial', clientSecret: 'a:b+c% d&e=f' },
  /**
   * The user grants (password, refresh, token exchange). Also allowed `client_credentials`:
   * the library authenticates revocation and introspection requests under that grant type.
   */
  user: { clientId: 'userapp', clientSecret: 'userAppSecret1' },
  /** A public client of the authorization code flow (PKCE, no secret). */
  native: { clientId: 'nativecli' },
} as const satisfies Record<string, ClientCredentialsInput>;

/** The registered redirect URI of the public client; the library ignores its port (RFC 8252 §7.3). */
export const NATIVE_REDIRECT_URI = 'http://127.0.0.1/callback';

const read = [...JMONDI_SCOPES];

/** The clients as the library's client repository holds them. */
export const JMONDI_CLIENTS: readonly OAuthClient[] = [
  {
    id: CLIENTS.unreserved.clientId,
    name: 'unreserved',
    secret: CLIENTS.unreserved.clientSecret,
    redirectUris: [],
    allowedGrants: ['client_credentials'],
    scopes: read,
  },
  {
    id: CLIENTS.special.clientId,
    name: 'special',
    secret: CLIENTS.special.clientSecret,
    redirectUris: [],
    allowedGrants: ['client_credentials'],
    scopes: read,
  },
  {
    id: CLIENTS.user.clientId,
    name: 'user',
    secret: CLIENTS.user.clientSecret,
    redirectUris: [],
    allowedGrants: [
      'password',
      'refresh_token',
      'client_credentials',
      'urn:ietf:params:oauth:grant-type:token-exchange',
    ],
    scopes: read,
  },
  {
    id: CLIENTS.native.clientId,
    name: 'native',
    secret: null,
    redirectUris: [NATIVE_REDIRECT_URI],
    allowedGrants: ['authorization_code', 'refresh_token'],
    scopes: read,
  },
];
