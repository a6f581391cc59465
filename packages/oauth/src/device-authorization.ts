import { OAuthError, type TokenProvider, TokenResponseError, type TokenSet } from '@auth/core';
import { abortableDelay } from '@auth/core/internal';
import * as oauth from 'oauth4webapi';
import type { ClientOptions, DPoPOptions, EndpointOptions } from './endpoint-options.js';
import { grantProvider } from './internal/grant-provider.js';
import { scopeString } from './internal/options.js';
import { TokenClient } from './internal/token-client.js';

const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const DEFAULT_INTERVAL_MS = 5_000;
const SLOW_DOWN_STEP_MS = 5_000;

/** What to show the user (RFC 8628 §3.3). */
export interface DeviceUserCode {
  /** The code the user enters. */
  userCode: string;
  /** Where the user enters it. */
  verificationUri: string;
  /** A URI that includes the code, when the server gave one (e.g. for a QR code). */
  verificationUriComplete: string | undefined;
  /** When the code expires (epoch ms). */
  expiresAt: number;
}

/** Options of {@link deviceAuthorization}. */
export interface DeviceAuthorizationOptions extends EndpointOptions, ClientOptions, DPoPOptions {
  /**
   * Shows the code to the user; awaited before polling starts. The provider is `interactive`: when
   * this or the polling after it fails, a `TokenManager` does not start the sign-in again: the
   * caller gets an `AuthenticationError` whose `cause` is an `AuthError` of code
   * `interaction_failed` (with the error as its `cause`).
   */
  onUserCode: (prompt: DeviceUserCode) => void | Promise<void>;
  /** The scope to request. */
  scope?: string | readonly string[];
  /** The device authorization endpoint, when not discovered from `issuer`. */
  deviceAuthorizationUrl?: string | URL;
}

/**
 * The device authorization grant (RFC 8628) for CLIs and devices without a browser:
 * requests a device code, hands the user code to `onUserCode`, then polls the token
 * endpoint at the server's `interval` (default 5 s), continuing on
 * `authorization_pending`, adding 5 s on `slow_down` (§3.5), and failing on
 * `expired_token`, `access_denied` or once the code's lifetime has passed. The caller's
 * `signal` stops the polling at once.
 *
 * @param options - See {@link DeviceAuthorizationOptions}.
 * @returns A provider for a `TokenManager`; refreshes with the refresh token.
 * @throws {TypeError} Missing or conflicting settings (named in the message).
 * @example
 * ```ts
 * import { deviceAuthorization } from '@auth/oauth';
 *
 * const provider = deviceAuthorization({
 *   issuer: 'https://login.example.com',
 *   clientId: 'my-cli',
 *   scope: 'openid offline_access',
 *   onUserCode: ({ userCode, verificationUri }) =>
 *     console.log(`Open ${verificationUri} and enter ${userCode}`),
 * });
 * ```
 */
export function deviceAuthorization(options: DeviceAuthorizationOptions): TokenProvider {
  if (typeof options.onUserCode !== 'function')
    throw new TypeError('deviceAuthorization needs onUserCode (a function)');
  const client = new TokenClient(
    'deviceAuthorization',
    options,
    { device_authorization_endpoint: options.deviceAuthorizationUrl },
    'device_authorization_endpoint',
  );
  const scope = scopeString(options.scope);
  return grantProvider({
    name: 'deviceAuthorization',
    cacheKey: client.cacheKey({
      grant: 'device_code',
      scope,
    }),
    canReauthenticate: true,
    interactive: true,
    description: { type: 'device_code', ...client.describe(), scope },
    fetchToken: ({ signal } = {}) => runDeviceFlow(client, scope, options.onUserCode, signal),
    refreshToken: (current, { signal } = {}) => client.refresh(current.refreshToken, signal),
  });
}

async function runDeviceFlow(
  client: TokenClient,
  scope: string | undefined,
  onUserCode: DeviceAuthorizationOptions['onUserCode'],
  signal: AbortSignal | undefined,
): Promise<TokenSet> {
  const what = 'the device authorization endpoint';
  const read = await client.post(
    'device_authorization_endpoint',
    { scope },
    signal,
    (as, c, auth, body, opts) => oauth.deviceAuthorizationRequest(as, c, auth, body, opts),
  );
  client.json(what, read);
  let response: oauth.DeviceAuthorizationResponse;
  try {
    response = await oauth.processDeviceAuthorizationResponse(
      { issuer: 'urn:device' },
      { client_id: client.client.clientId },
      new Response(read.text, { status: read.status, headers: read.headers }),
    );
  } catch (error) {
    // oauth4webapi's error holds the body: the server's text, which may echo a secret.
    const redactor = read.redactor ?? client.redactor();
    const cause = redactor.redactError(error);
    throw new TokenResponseError(`${what} returned an invalid response: ${cause.message}`, {
      cause,
    });
  }
  const now = client.now;
  const expiresAt = now() + response.expires_in * 1000;
  await onUserCode({
    userCode: response.user_code,
    verificationUri: response.verification_uri,
    verificationUriComplete: response.verification_uri_complete,
    expiresAt,
  });
  let intervalMs = response.interval === undefined ? DEFAULT_INTERVAL_MS : response.interval * 1000;
  for (;;) {
    await abortableDelay(intervalMs, signal);
    if (now() >= expiresAt) {
      throw new OAuthError({
        error: 'expired_token',
        errorDescription: 'the device code expired before the user approved it',
      });
    }
    try {
      return await client.grant(DEVICE_CODE_GRANT, { device_code: response.device_code }, signal);
    } catch (error) {
      if (!OAuthError.isInstance(error)) throw error;
      if (error.error === 'slow_down') intervalMs += SLOW_DOWN_STEP_MS;
      else if (error.error !== 'authorization_pending') throw error;
    }
  }
}
