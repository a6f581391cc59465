import type { TokenProvider } from '@auth/core';
import { type ProviderConfigHooks, providerFromEnv } from '@auth/oauth';
import { CliError, EXIT_CODES } from '../errors.js';
import { ENV_PREFIX, SETTING_SPECS, type Settings, toEnvironment } from './setting-specs.js';

/**
 * Builds the provider through `providerFromEnv`, from the merged settings spelled as
 * `AUTH_*` variables, so its errors name the variables.
 *
 * @param settings - Merged settings (with `grant`).
 * @param extra - Further variables (e.g. `AUTH_REFRESH_TOKEN`) and the `onUserCode` hook.
 * @returns The provider.
 * @throws {CliError} (usage) A missing or conflicting setting, named in the message.
 * @example
 * ```ts
 * const provider = buildProvider({ ...settings, grant: 'client_credentials' });
 * ```
 */
export function buildProvider(
  settings: Settings,
  extra: { env?: Record<string, string>; onUserCode?: ProviderConfigHooks['onUserCode'] } = {},
): TokenProvider {
  try {
    return providerFromEnv(
      { ...toEnvironment(settings), ...extra.env },
      { onUserCode: extra.onUserCode },
    );
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    throw new CliError(
      `${withFlags(error.message)}. Give settings as flags, AUTH_* variables or in the config file (see \`auth-cli login --help\`)`,
      EXIT_CODES.usage,
      { cause: error },
    );
  }
}

/** Names the flag beside each variable the message mentions: `AUTH_CLIENT_ID` → `--client-id/AUTH_CLIENT_ID`. */
function withFlags(message: string): string {
  return message.replace(/\bAUTH_[A-Z_]+\b/g, (variable) => {
    const spec = SETTING_SPECS.find(
      (candidate) => `${ENV_PREFIX}${candidate.variable}` === variable,
    );
    return spec?.flag ? `--${spec.flag}/${variable}` : variable;
  });
}
