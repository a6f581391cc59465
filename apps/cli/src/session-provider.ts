import { SessionExpiredError, type TokenProvider, type TokenSet } from '@auth/core';
import { buildProvider } from './settings/build-provider.js';
import { pickSettings, type Settings } from './settings/setting-specs.js';
import type { LoginRecord } from './state/login-record.js';

/**
 * The provider that renews a saved login without the user:
 * - `client_credentials`, and `password` when a password is configured now: the grant
 *   itself (refreshes, and signs in again when the refresh token is refused);
 * - otherwise (device code; password without a password): the stored refresh token
 *   (`refresh_token` grant, cannot sign in again, so a refused refresh token ends the
 *   session with `SessionExpiredError`);
 * - without a refresh token: a provider that only says "log in again".
 *
 * @param record - The saved login.
 * @param settings - Merged settings (flags, environment, config file, saved login).
 * @param stored - The tokens in the store, if any.
 * @returns A provider for a `TokenManager` keyed by `record.key`.
 * @throws {CliError} (usage) Settings missing for the grant (e.g. the client secret).
 * @example
 * ```ts
 * const manager = new TokenManager({ provider: sessionProvider(record, settings, stored), store, key: record.key });
 * ```
 */
export function sessionProvider(
  record: LoginRecord,
  settings: Settings,
  stored: TokenSet | undefined,
): TokenProvider {
  const grant = record.grant;
  if (grant === 'client_credentials' || (grant === 'password' && settings.password))
    return buildProvider({ ...settings, grant });
  const refreshToken = stored?.refreshToken;
  if (refreshToken) {
    return buildProvider(
      { ...pickSettings(settings, (spec) => spec.client), grant: 'refresh_token' },
      { refreshToken },
    );
  }
  return loginRequired(record);
}

function loginRequired(record: LoginRecord): TokenProvider {
  const description = { type: record.grant, refreshToken: 'not set' };
  return {
    cacheKey: record.key,
    canReauthenticate: false,
    fetchToken: () =>
      Promise.reject(new SessionExpiredError('the login has no refresh token left: log in again')),
    describe: () => ({ ...description }),
  };
}
