/** The name of a setting, as a config file spells it (the names of `@auth/oauth`'s `ProviderConfig`). */
export type SettingName =
  | 'grant'
  | 'issuer'
  | 'tokenUrl'
  | 'revocationUrl'
  | 'deviceAuthorizationUrl'
  | 'clientId'
  | 'clientSecret'
  | 'authMethod'
  | 'privateKey'
  | 'keyId'
  | 'signingAlgorithm'
  | 'scope'
  | 'audience'
  | 'resource'
  | 'username'
  | 'password'
  | 'totp'
  | 'timeoutMs'
  | 'allowInsecureHttp';

/** Settings as strings, by name; absent when not set. */
export type Settings = Partial<Record<SettingName, string>>;

/** What the CLI knows about one setting. */
export interface SettingSpec {
  /** The config file name. */
  name: SettingName;
  /** The environment variable, after the `AUTH_` prefix. */
  variable: string;
  /** The command-line flag, without `--`. Secrets have none (flags show in `ps`), except the one-time `totp`. */
  flag?: string;
  /**
   * A secret: never printed. The login remembers the client's own secrets (client secret,
   * private key) in its 0600 file, as gcloud and az do; never the password or one-time code.
   */
  secret: boolean;
  /** Part of reaching the provider and authenticating the client: used again to refresh and revoke. */
  client: boolean;
}

/** The prefix of the environment variables. */
export const ENV_PREFIX = 'AUTH_';

/**
 * Every setting: its config name, variable, flag, and whether it is a secret.
 *
 * @example
 * ```ts
 * SETTING_SPECS.find((spec) => spec.name === 'clientId')?.variable; // 'CLIENT_ID'
 * ```
 */
export const SETTING_SPECS: readonly SettingSpec[] = [
  { name: 'grant', variable: 'GRANT', secret: false, client: false },
  { name: 'issuer', variable: 'ISSUER', flag: 'issuer', secret: false, client: true },
  { name: 'tokenUrl', variable: 'TOKEN_URL', flag: 'token-url', secret: false, client: true },
  {
    name: 'revocationUrl',
    variable: 'REVOCATION_URL',
    flag: 'revocation-url',
    secret: false,
    client: true,
  },
  {
    name: 'deviceAuthorizationUrl',
    variable: 'DEVICE_AUTHORIZATION_URL',
    flag: 'device-authorization-url',
    secret: false,
    client: false,
  },
  { name: 'clientId', variable: 'CLIENT_ID', flag: 'client-id', secret: false, client: true },
  { name: 'clientSecret', variable: 'CLIENT_SECRET', secret: true, client: true },
  { name: 'authMethod', variable: 'AUTH_METHOD', flag: 'auth-method', secret: false, client: true },
  { name: 'privateKey', variable: 'PRIVATE_KEY', secret: true, client: true },
  { name: 'keyId', variable: 'KEY_ID', flag: 'key-id', secret: false, client: true },
  { name: 'signingAlgorithm', variable: 'SIGNING_ALGORITHM', secret: false, client: true },
  { name: 'scope', variable: 'SCOPE', flag: 'scope', secret: false, client: false },
  { name: 'audience', variable: 'AUDIENCE', flag: 'audience', secret: false, client: false },
  { name: 'resource', variable: 'RESOURCE', flag: 'resource', secret: false, client: false },
  { name: 'username', variable: 'USERNAME', flag: 'username', secret: false, client: false },
  { name: 'password', variable: 'PASSWORD', secret: true, client: false },
  { name: 'totp', variable: 'TOTP', flag: 'totp', secret: true, client: false },
  { name: 'timeoutMs', variable: 'TIMEOUT_MS', flag: 'timeout-ms', secret: false, client: true },
  { name: 'allowInsecureHttp', variable: 'ALLOW_INSECURE_HTTP', secret: false, client: true },
];

/**
 * The settings that have a command-line flag, for `parseArgs`.
 *
 * @returns `parseArgs` option definitions keyed by flag.
 * @example
 * ```ts
 * parseArgs({ args, options: { ...settingFlagOptions(), help: { type: 'boolean' } } });
 * ```
 */
export function settingFlagOptions(): Record<string, { type: 'string' }> {
  const options: Record<string, { type: 'string' }> = {};
  for (const spec of SETTING_SPECS) if (spec.flag) options[spec.flag] = { type: 'string' };
  return options;
}

/**
 * The settings given as flags, by name.
 *
 * @param values - `parseArgs` values.
 * @returns The settings that were given.
 * @example
 * ```ts
 * settingsFromFlags({ 'client-id': 'cli' }); // { clientId: 'cli' }
 * ```
 */
export function settingsFromFlags(values: Record<string, unknown>): Settings {
  const settings: Settings = {};
  for (const spec of SETTING_SPECS) {
    const value = spec.flag ? values[spec.flag] : undefined;
    if (typeof value === 'string' && value !== '') settings[spec.name] = value;
  }
  return settings;
}

/**
 * The settings in environment variables (`AUTH_ISSUER`, `AUTH_CLIENT_ID`, …).
 *
 * @param env - The environment.
 * @returns The settings that are set and not empty.
 * @example
 * ```ts
 * settingsFromEnv({ AUTH_CLIENT_ID: 'cli' }); // { clientId: 'cli' }
 * ```
 */
export function settingsFromEnv(env: Readonly<Record<string, string | undefined>>): Settings {
  const settings: Settings = {};
  for (const spec of SETTING_SPECS) {
    const value = env[`${ENV_PREFIX}${spec.variable}`];
    if (value !== undefined && value !== '') settings[spec.name] = value;
  }
  return settings;
}

/**
 * Whether `login` remembers a setting for later commands: everything but the user's
 * password and one-time code.
 *
 * @param spec - The setting.
 * @returns `true` to save it with the login.
 * @example
 * ```ts
 * const saved = pickSettings(settings, rememberedByLogin);
 * ```
 */
export function rememberedByLogin(spec: SettingSpec): boolean {
  return spec.client || !spec.secret;
}

/**
 * Keeps only the settings that pass `keep`.
 *
 * @param settings - Settings by name.
 * @param keep - Which specs to keep.
 * @returns A new settings object.
 * @example
 * ```ts
 * const saved = pickSettings(settings, (spec) => !spec.secret);
 * ```
 */
export function pickSettings(settings: Settings, keep: (spec: SettingSpec) => boolean): Settings {
  const picked: Settings = {};
  for (const spec of SETTING_SPECS) {
    const value = settings[spec.name];
    if (value !== undefined && keep(spec)) picked[spec.name] = value;
  }
  return picked;
}
