import type { ProviderConfig, RevokeTokenOptions } from '@auth/oauth';
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
  /** The settings saved by the last `login` (the client secret included, not the password); last. */
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
 * The settings as `@auth/oauth`'s `ProviderConfig`: numbers and booleans parsed, `\n` in
 * `privateKey` made a newline. A `timeoutMs` that is not a number stays `NaN`, for the
 * caller to refuse or ignore.
 *
 * @param settings - Merged settings.
 * @returns The config, without `revocationUrl` (not a provider setting).
 * @example
 * ```ts
 * const provider = providerFromConfig(providerConfig(settings));
 * ```
 */
export function providerConfig(settings: Settings): ProviderConfig {
  const { revocationUrl: _, timeoutMs, allowInsecureHttp, ...text } = settings;
  return {
    ...text,
    grant: text.grant as ProviderConfig['grant'],
    authMethod: text.authMethod as ProviderConfig['authMethod'],
    signingAlgorithm: text.signingAlgorithm as ProviderConfig['signingAlgorithm'],
    privateKey: text.privateKey?.replace(/\\n/g, '\n'),
    timeoutMs: timeoutMs === undefined ? undefined : Number(timeoutMs),
    allowInsecureHttp: allowInsecureHttp === undefined ? undefined : allowInsecureHttp === 'true',
  };
}

/**
 * The endpoint and client settings as `@auth/oauth` options, for `revokeToken`.
 *
 * @param settings - Merged settings.
 * @returns Options without `token`; a `timeoutMs` that is not a number is left out.
 * @example
 * ```ts
 * await revokeToken({ ...clientOptions(settings), token, tokenTypeHint: 'refresh_token' });
 * ```
 */
export function clientOptions(settings: Settings): Omit<RevokeTokenOptions, 'token'> {
  const config = providerConfig(settings);
  return {
    issuer: config.issuer,
    tokenUrl: config.tokenUrl,
    revocationUrl: settings.revocationUrl,
    clientId: config.clientId ?? '',
    clientSecret: config.clientSecret,
    authMethod: config.authMethod,
    privateKey: config.privateKey,
    keyId: config.keyId,
    signingAlgorithm: config.signingAlgorithm,
    timeoutMs: Number.isFinite(config.timeoutMs) ? config.timeoutMs : undefined,
    allowInsecureHttp: config.allowInsecureHttp === true,
  };
}
