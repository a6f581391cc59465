import type { TokenProvider } from '@auth/core';
import { presence } from '@auth/core/internal';
import type { ClientOptions, DPoPOptions, EndpointOptions } from './endpoint-options.js';
import { grantProvider } from './internal/grant-provider.js';
import { requiredString, scopeString } from './internal/options.js';
import { TokenClient } from './internal/token-client.js';

/** Options of {@link passwordGrant}. */
export interface PasswordGrantOptions extends EndpointOptions, ClientOptions, DPoPOptions {
  /** The resource owner's user name. */
  username: string;
  /** The resource owner's password. */
  password: string;
  /**
   * A one-time code sent as `totp`, for servers that ask for a second factor. A function is
   * called for each login, since codes change every 30 seconds.
   */
  totp?: string | (() => string | Promise<string>);
  /** The scope to request. */
  scope?: string | readonly string[];
}

/**
 * The resource owner password credentials grant (RFC 6749 §4.3), with an optional `totp`
 * parameter. Refreshes with the refresh token when the server issued one, and signs in
 * again with the password when it is rejected.
 *
 * @param options - See {@link PasswordGrantOptions}.
 * @returns A provider for a `TokenManager`.
 * @throws {TypeError} Missing or conflicting settings (named in the message).
 * @example
 * ```ts
 * import { passwordGrant } from '@auth/oauth';
 *
 * declare function readCodeFromAuthenticator(): Promise<string>;
 * const provider = passwordGrant({
 *   tokenUrl: 'https://login.example.com/token',
 *   clientId: 'cli',
 *   clientSecret: process.env.CLIENT_SECRET!,
 *   username: 'alice',
 *   password: process.env.PASSWORD!,
 *   totp: () => readCodeFromAuthenticator(),
 * });
 * ```
 */
export function passwordGrant(options: PasswordGrantOptions): TokenProvider {
  const client = new TokenClient('passwordGrant', options);
  const username = requiredString('passwordGrant', 'username', options.username);
  const password = requiredString('passwordGrant', 'password', options.password);
  const totp = options.totp;
  if (totp !== undefined && typeof totp !== 'string' && typeof totp !== 'function')
    throw new TypeError('passwordGrant: totp must be a string or a function');
  const scope = scopeString(options.scope);
  return grantProvider({
    name: 'passwordGrant',
    // No tag of the password or TOTP: a short hash of a low-entropy password in a key that
    // shows in logs, events and Redis key names could be reversed with a dictionary. A
    // changed password is covered anyway: the old tokens' refresh gets invalid_grant and
    // the manager signs in again.
    cacheKey: client.cacheKey({ grant: 'password', user: username, scope }),
    canReauthenticate: true,
    description: {
      type: 'password',
      ...client.describe(),
      username,
      password: presence(password),
      totp: presence(totp),
      scope,
    },
    fetchToken: async ({ signal } = {}) => {
      const code = typeof totp === 'function' ? await totp() : totp;
      return client.grant('password', { username, password, totp: code, scope }, signal);
    },
    refreshToken: (current, { signal } = {}) => client.refresh(current.refreshToken, signal),
  });
}
