import type { DPoPKeyPair } from '@auth/core';
import type { ClientAssertionAlgorithm, ClientAuthMethod } from '../endpoint-options.js';

/** The grants {@link providerFromConfig} builds. */
export type ConfigGrant =
  | 'static'
  | 'client_credentials'
  | 'password'
  | 'refresh_token'
  | 'token_exchange'
  | 'jwt_bearer'
  | 'device_code';

/** Plain settings of a provider, e.g. parsed from a file or the environment. */
export interface ProviderConfig {
  /**
   * The grant. Default: `static` with `token`, `refresh_token` with `refreshToken`,
   * `password` with `username`, else `client_credentials`.
   */
  grant?: ConfigGrant;
  /**
   * A fixed access token (`static`: no server, no client; a JWT's `exp` is its expiry),
   * served through `staticToken` from `@auth/core`.
   */
  token?: string;
  /** The token endpoint. Set this or `issuer`, not both. */
  tokenUrl?: string;
  /** The issuer, whose discovered metadata supplies the endpoints. Set this or `tokenUrl`. */
  issuer?: string;
  /** Where `issuer`'s metadata is read: `oidc` (default) or `oauth2` (RFC 8414). Only with `issuer`. */
  discovery?: 'oidc' | 'oauth2';
  /** The client identifier. Required by every grant. */
  clientId?: string;
  /** The client secret. Set this or `privateKey`, not both. */
  clientSecret?: string;
  /**
   * How the client authenticates. Default: from the credential given, as
   * {@link ClientOptions.authMethod}.
   */
  authMethod?: ClientAuthMethod;
  /** PKCS #8 PEM for `private_key_jwt`. */
  privateKey?: string;
  /** The `kid` header of client assertions signed with `privateKey`. */
  keyId?: string;
  /** The algorithm of `privateKey`. Default `ES256`. */
  signingAlgorithm?: ClientAssertionAlgorithm;
  /** The `aud` of client assertions: `token_endpoint` (default), `issuer`, or any string. */
  assertionAudience?: string;
  /** The scope to request, space-separated. */
  scope?: string;
  /** The `audience` parameter (`client_credentials`, `token_exchange`, `jwt_bearer`). */
  audience?: string;
  /** An RFC 8707 resource indicator (`client_credentials`, `token_exchange`, `jwt_bearer`). */
  resource?: string;
  /** The resource owner's user name (`password`). */
  username?: string;
  /** The resource owner's password (`password`). */
  password?: string;
  /** A one-time code sent as `totp` with the password (`password`). */
  totp?: string;
  /** The refresh token to start from (`refresh_token`). */
  refreshToken?: string;
  /** The token to exchange (`token_exchange`). */
  subjectToken?: string;
  /** The subject token's type (`token_exchange`). Default the access token type. */
  subjectTokenType?: string;
  /** The signed JWT assertion (`jwt_bearer`). */
  assertion?: string;
  /** The device authorization endpoint, when not discovered from `issuer` (`device_code`). */
  deviceAuthorizationUrl?: string;
  /** Deadline of each request, in ms. Default 10 000. */
  timeoutMs?: number;
  /** Allow plain `http:` to a host that is not loopback. Default false. */
  allowInsecureHttp?: boolean;
}

/** Hooks the config cannot hold. */
export interface ProviderConfigHooks {
  /** Required for `device_code`: shows the user code. */
  onUserCode?: (prompt: {
    userCode: string;
    verificationUri: string;
    verificationUriComplete: string | undefined;
    expiresAt: number;
  }) => void | Promise<void>;
  /** The `fetch` to use. */
  fetch?: typeof fetch;
  /** Binds the tokens to this DPoP key pair (RFC 9449): the providers' `dpop` option. */
  dpop?: DPoPKeyPair;
  /** The clock. */
  now?: () => number;
  /**
   * How setting names appear in errors (e.g. `clientId` → `AUTH_CLIENT_ID` for
   * `providerFromEnv`). Default the config names.
   */
  settingName?: (name: keyof ProviderConfig) => string;
}

/** The settings only some grants take; a grant refuses those it does not use. */
const GRANT_SPECIFIC = [
  'token',
  'username',
  'password',
  'totp',
  'refreshToken',
  'subjectToken',
  'subjectTokenType',
  'assertion',
  'audience',
  'resource',
  'deviceAuthorizationUrl',
] as const satisfies readonly (keyof ProviderConfig)[];

type GrantSpecific = (typeof GRANT_SPECIFIC)[number];

/** The settings of the authorization server and the client: every grant but `static` uses them. */
const SERVER_AND_CLIENT = [
  'tokenUrl',
  'issuer',
  'discovery',
  'clientId',
  'clientSecret',
  'authMethod',
  'privateKey',
  'keyId',
  'signingAlgorithm',
  'assertionAudience',
  'scope',
  'timeoutMs',
  'allowInsecureHttp',
] as const satisfies readonly (keyof ProviderConfig)[];

/** What a grant needs and refuses, and whether it talks to an authorization server. */
export interface GrantSettings {
  required: readonly (keyof ProviderConfig)[];
  unused: readonly (keyof ProviderConfig)[];
  /** Whether the grant needs `tokenUrl` or `issuer`. */
  server: boolean;
}

function grant(
  required: readonly (keyof ProviderConfig)[],
  uses: readonly GrantSpecific[],
): GrantSettings {
  return { required, unused: GRANT_SPECIFIC.filter((name) => !uses.includes(name)), server: true };
}

/** Which settings each grant needs, and which it does not accept (derived from what it uses). */
export const GRANT_SETTINGS: Record<ConfigGrant, GrantSettings> = {
  static: {
    required: ['token'],
    unused: [...GRANT_SPECIFIC.filter((name) => name !== 'token'), ...SERVER_AND_CLIENT],
    server: false,
  },
  client_credentials: grant(['clientId'], ['audience', 'resource']),
  password: grant(['clientId', 'username', 'password'], ['username', 'password', 'totp']),
  refresh_token: grant(['clientId', 'refreshToken'], ['refreshToken']),
  token_exchange: grant(
    ['clientId', 'subjectToken'],
    ['subjectToken', 'subjectTokenType', 'audience', 'resource'],
  ),
  jwt_bearer: grant(['clientId', 'assertion'], ['assertion', 'audience', 'resource']),
  device_code: grant(['clientId'], ['deviceAuthorizationUrl']),
};
