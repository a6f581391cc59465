import { staticToken, type TokenProvider } from '@auth/core';
import { clientCredentials } from '../client-credentials.js';
import { deviceAuthorization } from '../device-authorization.js';
import { positiveMs } from '../internal/options.js';
import { jwtBearer } from '../jwt-bearer.js';
import { passwordGrant } from '../password-grant.js';
import { refreshTokenGrant } from '../refresh-token-grant.js';
import { tokenExchange } from '../token-exchange.js';
import {
  type ConfigGrant,
  GRANT_SETTINGS,
  type ProviderConfig,
  type ProviderConfigHooks,
} from './provider-config.js';

/**
 * Builds the right provider from plain settings: the grant (given, or inferred from which
 * credentials are present), the server (`tokenUrl` or `issuer`), the client and the
 * grant's own credentials.
 *
 * @param config - See {@link ProviderConfig}.
 * @param hooks - Callbacks and transport the config cannot hold (`onUserCode` for `device_code`).
 * @returns The provider.
 * @throws {TypeError} An unknown grant, a missing setting, or conflicting settings, each
 *   named in the message (as `hooks.settingName` spells them).
 * @example
 * ```ts
 * import { providerFromConfig } from '@auth/oauth';
 *
 * declare const secretFromVault: string;
 * const provider = providerFromConfig({
 *   grant: 'client_credentials',
 *   issuer: 'https://login.example.com',
 *   clientId: 'reporting',
 *   clientSecret: secretFromVault,
 * });
 * ```
 */
export function providerFromConfig(
  config: ProviderConfig,
  hooks: ProviderConfigHooks = {},
): TokenProvider {
  if (typeof config !== 'object' || config === null)
    throw new TypeError('providerFromConfig needs a settings object');
  const name = hooks.settingName ?? ((setting: keyof ProviderConfig) => setting);
  // Checked here, not by the provider, so the message names the setting as the caller spells it.
  positiveMs(name('timeoutMs'), config.timeoutMs, 0);
  const grant = config.grant ?? inferGrant(config);
  const settings = GRANT_SETTINGS[grant as ConfigGrant];
  if (!Object.hasOwn(GRANT_SETTINGS, grant)) {
    // The value is not repeated: it may come from the environment, next to secrets.
    throw new TypeError(
      `${name('grant')} is not supported; use one of ${Object.keys(GRANT_SETTINGS).join(', ')}`,
    );
  }
  const present = (setting: keyof ProviderConfig) =>
    config[setting] !== undefined && config[setting] !== '';
  const missing = settings.required.filter((setting) => !present(setting));
  if (settings.server && !present('tokenUrl') && !present('issuer')) missing.unshift('issuer');
  if (missing.length > 0) {
    const names = missing.map((setting) =>
      setting === 'issuer' ? `${name('issuer')} or ${name('tokenUrl')}` : name(setting),
    );
    throw new TypeError(`${grant} settings are missing: ${names.join(', ')}`);
  }
  const conflicts: string[] = [];
  if (present('tokenUrl') && present('issuer'))
    conflicts.push(`${name('tokenUrl')} and ${name('issuer')} (set one)`);
  if (present('discovery') && !present('issuer'))
    conflicts.push(`${name('discovery')} (applies only with ${name('issuer')})`);
  if (present('discovery') && config.discovery !== 'oidc' && config.discovery !== 'oauth2')
    conflicts.push(`${name('discovery')} (use oidc or oauth2)`);
  if (present('clientSecret') && present('privateKey'))
    conflicts.push(`${name('clientSecret')} and ${name('privateKey')} (set one)`);
  for (const setting of settings.unused) {
    if (present(setting)) conflicts.push(`${name(setting)} (not used by the ${grant} grant)`);
  }
  if (conflicts.length > 0)
    throw new TypeError(`conflicting ${grant} settings: ${conflicts.join('; ')}`);
  if (grant === 'device_code' && typeof hooks.onUserCode !== 'function')
    throw new TypeError('device_code needs the onUserCode hook to show the user code');
  return build(grant, config, hooks);
}

function inferGrant(config: ProviderConfig): ConfigGrant {
  if (config.token) return 'static';
  if (config.refreshToken) return 'refresh_token';
  if (config.username || config.password) return 'password';
  if (config.subjectToken) return 'token_exchange';
  if (config.assertion) return 'jwt_bearer';
  return 'client_credentials';
}

function build(
  grant: ConfigGrant,
  config: ProviderConfig,
  hooks: ProviderConfigHooks,
): TokenProvider {
  const common = {
    tokenUrl: config.tokenUrl || undefined,
    issuer: config.issuer || undefined,
    discovery: config.discovery || undefined,
    clientId: config.clientId!,
    clientSecret: config.clientSecret || undefined,
    authMethod: config.authMethod,
    privateKey: config.privateKey || undefined,
    keyId: config.keyId,
    signingAlgorithm: config.signingAlgorithm,
    assertionAudience: config.assertionAudience || undefined,
    scope: config.scope || undefined,
    timeoutMs: config.timeoutMs,
    allowInsecureHttp: config.allowInsecureHttp,
    fetch: hooks.fetch,
    dpop: hooks.dpop,
    now: hooks.now,
  };
  switch (grant) {
    case 'static':
      try {
        return staticToken(config.token!);
      } catch (error) {
        if (!(error instanceof TypeError)) throw error;
        const name = hooks.settingName ?? ((setting: keyof ProviderConfig) => setting);
        throw new TypeError(
          `${name('token')} is not usable as a token: it must be non-empty, without whitespace or control characters`,
          { cause: error },
        );
      }
    case 'client_credentials':
      return clientCredentials({ ...common, audience: config.audience, resource: config.resource });
    case 'password':
      return passwordGrant({
        ...common,
        username: config.username!,
        password: config.password!,
        totp: config.totp || undefined,
      });
    case 'refresh_token':
      return refreshTokenGrant({ ...common, refreshToken: config.refreshToken! });
    case 'token_exchange':
      return tokenExchange({
        ...common,
        subjectToken: config.subjectToken!,
        subjectTokenType: config.subjectTokenType,
        audience: config.audience,
        resource: config.resource,
      });
    case 'jwt_bearer':
      return jwtBearer({
        ...common,
        assertion: config.assertion!,
        audience: config.audience,
        resource: config.resource,
      });
    case 'device_code':
      return deviceAuthorization({
        ...common,
        deviceAuthorizationUrl: config.deviceAuthorizationUrl,
        onUserCode: hooks.onUserCode!,
      });
  }
}
