import type { TokenProvider } from '@auth/core';
import { type ProviderConfig, type ProviderConfigHooks, providerFromConfig } from '@auth/oauth';
import { CliError, EXIT_CODES } from '../errors.js';
import { providerConfig } from './resolve-settings.js';
import { ENV_PREFIX, SETTING_SPECS, type Settings } from './setting-specs.js';

/**
 * Builds the provider through `providerFromConfig`, whose errors name each setting the way
 * the CLI takes it: `--client-id/AUTH_CLIENT_ID`, or `AUTH_CLIENT_SECRET` for a setting
 * without a flag.
 *
 * @param settings - Merged settings (with `grant`).
 * @param extra - The refresh token to start from (`refresh_token`) and the `onUserCode` hook.
 * @returns The provider.
 * @throws {CliError} (usage) A missing, conflicting or malformed setting, named in the message.
 * @example
 * ```ts
 * const provider = buildProvider({ ...settings, grant: 'client_credentials' });
 * ```
 */
export function buildProvider(
  settings: Settings,
  extra: { refreshToken?: string; onUserCode?: ProviderConfigHooks['onUserCode'] } = {},
): TokenProvider {
  try {
    const config = providerConfig(settings);
    return providerFromConfig(
      { ...config, refreshToken: extra.refreshToken },
      { onUserCode: extra.onUserCode, settingName },
    );
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    throw new CliError(
      `${error.message}. Give settings as flags, AUTH_* variables or in the config file (see \`auth-cli login --help\`)`,
      EXIT_CODES.usage,
      { cause: error },
    );
  }
}

/** A setting as the CLI takes it: `--client-id/AUTH_CLIENT_ID`, `AUTH_CLIENT_SECRET`; else its config name (`refreshToken`, never asked of the user). */
function settingName(setting: keyof ProviderConfig): string {
  const spec = SETTING_SPECS.find((candidate) => candidate.name === setting);
  if (!spec) return setting;
  const variable = `${ENV_PREFIX}${spec.variable}`;
  return spec.flag ? `--${spec.flag}/${variable}` : variable;
}
