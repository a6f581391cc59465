import { CredentialUnavailableError } from '@auth/core';
import { DEFAULT_TIMEOUT_MS, positiveMs } from './options.js';

/** Environment variables as a preset reads them (`process.env` by default). */
export type PlatformEnv = Readonly<Record<string, string | undefined>>;

/** What every platform preset accepts besides its own settings. */
export interface PresetOptions {
  /** Where the platform's variables are read. Default `process.env`. */
  env?: PlatformEnv;
  /** The `fetch` to use. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Deadline of each request, body included, in ms. Default 10 000. */
  timeoutMs?: number;
  /** The clock (epoch ms), for expiry times. Default `Date.now`. */
  now?: () => number;
}

/**
 * A setting given as an option, else read from the platform's variable.
 *
 * @param preset - The preset's name, for the error.
 * @param env - The environment.
 * @param variable - The platform's variable.
 * @param given - The option, which wins.
 * @param hint - What a missing variable usually means, e.g. `not running in GitHub Actions`.
 * @returns The value.
 * @throws {CredentialUnavailableError} Neither given nor set (`source` is `env:<variable>`).
 */
export function platformSetting(
  preset: string,
  env: PlatformEnv,
  variable: string,
  given: string | undefined,
  hint: string,
): string {
  const value = given ?? env[variable];
  if (typeof value === 'string' && value !== '') return value;
  throw new CredentialUnavailableError(`${preset}: ${variable} is not set (${hint})`, {
    source: `env:${variable}`,
  });
}

/** The environment a preset reads: the given one, or the process's. */
export function platformEnv(options: { env?: PlatformEnv }): PlatformEnv {
  return options.env ?? process.env;
}

/** What the instance metadata presets accept besides {@link PresetOptions}. */
export interface MetadataServerOptions extends PresetOptions {
  /**
   * How long to wait for the metadata server to answer (connection and response headers), in
   * ms. Until the server has answered once, no answer in time, or no connection, means the code
   * does not run on that platform: `CredentialUnavailableError`, quickly. After it has answered,
   * such failures are outages (a retryable `TokenEndpointError` after `timeoutMs`). Default 1 000.
   */
  answerTimeoutMs?: number;
}

/** The default of {@link MetadataServerOptions.answerTimeoutMs}. */
const DEFAULT_ANSWER_TIMEOUT_MS = 1_000;

/**
 * The checked timing settings of a preset.
 *
 * @throws {TypeError} A `timeoutMs` or `answerTimeoutMs` that is not a positive number.
 */
export function presetTimings(options: MetadataServerOptions): {
  timeoutMs: number;
  answerTimeoutMs: number;
  now: () => number;
} {
  return {
    timeoutMs: positiveMs('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS),
    answerTimeoutMs: positiveMs(
      'answerTimeoutMs',
      options.answerTimeoutMs,
      DEFAULT_ANSWER_TIMEOUT_MS,
    ),
    now: options.now ?? Date.now,
  };
}
