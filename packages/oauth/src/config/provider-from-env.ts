import type { TokenProvider } from '@auth/core';
import type { ProviderConfig, ProviderConfigHooks } from './provider-config.js';
import { providerFromConfig } from './provider-from-config.js';

/** Options of {@link providerFromEnv}. */
export interface ProviderFromEnvOptions extends Omit<ProviderConfigHooks, 'settingName'> {
  /** Prefix of the variable names. Default `AUTH_`. */
  prefix?: string;
}

const VARIABLES: Record<keyof ProviderConfig, string> = {
  grant: 'GRANT',
  token: 'TOKEN',
  tokenUrl: 'TOKEN_URL',
  issuer: 'ISSUER',
  clientId: 'CLIENT_ID',
  clientSecret: 'CLIENT_SECRET',
  authMethod: 'AUTH_METHOD',
  privateKey: 'PRIVATE_KEY',
  keyId: 'KEY_ID',
  signingAlgorithm: 'SIGNING_ALGORITHM',
  assertionAudience: 'ASSERTION_AUDIENCE',
  scope: 'SCOPE',
  audience: 'AUDIENCE',
  resource: 'RESOURCE',
  username: 'USERNAME',
  password: 'PASSWORD',
  totp: 'TOTP',
  refreshToken: 'REFRESH_TOKEN',
  subjectToken: 'SUBJECT_TOKEN',
  subjectTokenType: 'SUBJECT_TOKEN_TYPE',
  assertion: 'ASSERTION',
  deviceAuthorizationUrl: 'DEVICE_AUTHORIZATION_URL',
  timeoutMs: 'TIMEOUT_MS',
  allowInsecureHttp: 'ALLOW_INSECURE_HTTP',
  discovery: 'DISCOVERY',
};

/**
 * Builds a provider from environment variables: `<prefix>GRANT`, `TOKEN` (a static token:
 * the `static` grant, implied when it is set), `TOKEN_URL` or `ISSUER`,
 * `CLIENT_ID`, `CLIENT_SECRET`, `AUTH_METHOD`, `PRIVATE_KEY` (PEM), `KEY_ID`,
 * `SIGNING_ALGORITHM`, `ASSERTION_AUDIENCE`, `SCOPE`,
 * `AUDIENCE`, `RESOURCE`, `USERNAME`, `PASSWORD`, `TOTP`, `REFRESH_TOKEN`,
 * `SUBJECT_TOKEN`, `ASSERTION`, `DEVICE_AUTHORIZATION_URL`, `TIMEOUT_MS`,
 * `ALLOW_INSECURE_HTTP` (`true`), `DISCOVERY` (`oidc` or `oauth2`). Errors name the
 * variables and never repeat their values.
 *
 * @param env - The variables. Default `process.env`.
 * @param options - `prefix` (default `AUTH_`) and the hooks of {@link providerFromConfig}.
 * @returns The provider.
 * @throws {TypeError} Missing or conflicting variables, named in the message.
 * @example
 * ```ts
 * import { providerFromEnv } from '@auth/oauth';
 *
 * // AUTH_ISSUER=https://login.example.com AUTH_CLIENT_ID=svc AUTH_CLIENT_SECRET=…
 * const provider = providerFromEnv();
 * ```
 */
export function providerFromEnv(
  env: Record<string, string | undefined> = processEnv(),
  options: ProviderFromEnvOptions = {},
): TokenProvider {
  const prefix = options.prefix ?? 'AUTH_';
  const variable = (setting: keyof ProviderConfig) => `${prefix}${VARIABLES[setting]}`;
  const config: Record<string, unknown> = {};
  for (const setting of Object.keys(VARIABLES) as (keyof ProviderConfig)[]) {
    const value = env[variable(setting)];
    if (value === undefined || value === '') continue;
    config[setting] = value;
  }
  if (config.timeoutMs !== undefined) config.timeoutMs = Number(config.timeoutMs);
  if (config.allowInsecureHttp !== undefined)
    config.allowInsecureHttp = config.allowInsecureHttp === 'true';
  if (typeof config.privateKey === 'string')
    config.privateKey = config.privateKey.replace(/\\n/g, '\n');
  return providerFromConfig(config as ProviderConfig, { ...options, settingName: variable });
}

function processEnv(): Record<string, string | undefined> {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  if (!env)
    throw new TypeError('providerFromEnv needs an env object on runtimes without process.env');
  return env;
}
