import type { DPoPKeyPair } from '@auth/core';
import type { ClientAssertionAlgorithm, ClientAuthMethod } from '../endpoint-options.js';

/** The grants {@link providerFromConfig} builds. */
export type ConfigGrant =
  | 'client_credentials'
  | 'password'
  | 'refresh_token'
  | 'token_exchange'
  | 'jwt_bearer'
  | 'device_code';

/** Plain settings of a provider, e.g. parsed from a file or the environment. */
export interface ProviderConfig {
  /** The grant. Default: `refresh_token` with `refreshToken`, `password` with `username`, else `client_credentials`. */
  grant?: ConfigGrant;
  tokenUrl?: string;
  issuer?: string;
  clientId?: string;
  clientSecret?: string;
  authMethod?: ClientAuthMethod;
  /** PKCS #8 PEM for `private_key_jwt`. */
  privateKey?: string;
  keyId?: string;
  signingAlgorithm?: ClientAssertionAlgorithm;
  scope?: string;
  audience?: string;
  resource?: string;
  username?: string;
  password?: string;
  totp?: string;
  refreshToken?: string;
  subjectToken?: string;
  subjectTokenType?: string;
  assertion?: string;
  deviceAuthorizationUrl?: string;
  timeoutMs?: number;
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

function grant(required: readonly (keyof ProviderConfig)[], uses: readonly GrantSpecific[]) {
  return { required, unused: GRANT_SPECIFIC.filter((name) => !uses.includes(name)) };
}

/** Which settings each grant needs, and which it does not accept (derived from what it uses). */
export const GRANT_SETTINGS: Record<
  ConfigGrant,
  { required: readonly (keyof ProviderConfig)[]; unused: readonly (keyof ProviderConfig)[] }
> = {
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
