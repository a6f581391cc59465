import type { RevokeTokenOptions } from '@auth/oauth';
import { readConfigFile } from './config-file.js';
import { type Settings, settingsFromEnv } from './setting-specs.js';

/** Where settings come from, lowest precedence last. */
export interface SettingSources {
  /** From command-line flags: win over everything. */
  flags: Settings;
  /** The process environment (`AUTH_*`); second. */
  env: Readonly<Record<string, string | undefined>>;
  /** A JSON config file (`--config` or `AUTH_CLI_CONFIG`); third. */
  configPath: string | undefined;
  /** The non-secret settings saved by the last `login`; last. */
  saved?: Settings;
}

/**
 * Merges the settings: flags, then environment, then config file, then the saved login.
 * Each setting comes from the first source that sets it.
 *
 * @param sources - See {@link SettingSources}.
 * @returns The merged settings.
 * @throws {CliError} (usage) An unreadable or malformed config file.
 * @example
 * ```ts
 * const settings = await resolveSettings({ flags, env: process.env, configPath });
 * ```
 */
export async function resolveSettings(sources: SettingSources): Promise<Settings> {
  const fromFile = sources.configPath ? await readConfigFile(sources.configPath) : {};
  return {
    ...sources.saved,
    ...fromFile,
    ...settingsFromEnv(sources.env),
    ...sources.flags,
  };
}

/**
 * The endpoint and client settings as `@auth/oauth` options, for `revokeToken`.
 *
 * @param settings - Merged settings.
 * @returns Options without `token`.
 * @example
 * ```ts
 * await revokeToken({ ...clientOptions(settings), token, tokenTypeHint: 'refresh_token' });
 * ```
 */
export function clientOptions(settings: Settings): Omit<RevokeTokenOptions, 'token'> {
  const timeoutMs = settings.timeoutMs === undefined ? undefined : Number(settings.timeoutMs);
  return {
    issuer: settings.issuer,
    tokenUrl: settings.tokenUrl,
    revocationUrl: settings.revocationUrl,
    clientId: settings.clientId ?? '',
    clientSecret: settings.clientSecret,
    authMethod: settings.authMethod as RevokeTokenOptions['authMethod'],
    privateKey: settings.privateKey?.replace(/\\n/g, '\n'),
    keyId: settings.keyId,
    signingAlgorithm: settings.signingAlgorithm as RevokeTokenOptions['signingAlgorithm'],
    timeoutMs: Number.isFinite(timeoutMs) ? timeoutMs : undefined,
    allowInsecureHttp: settings.allowInsecureHttp === 'true',
  };
}
