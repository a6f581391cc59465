import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CliError, EXIT_CODES, type ExitCode } from '../errors.js';
import { settingFlagOptions } from '../settings/setting-specs.js';

/** What a command reads and writes: the process, or a test's stand-in. */
export interface CliIo {
  /** The environment (`AUTH_*`, `AUTH_CLI_STATE_DIR`, `AUTH_CLI_CONFIG`, `XDG_STATE_HOME`). */
  env: Readonly<Record<string, string | undefined>>;
  /** Writes a line to standard output. */
  out(line: string): void;
  /** Writes a line to standard error. */
  err(line: string): void;
  /** Reads all of standard input (for `--password-stdin`). */
  readStdin(): Promise<string>;
  /**
   * Asks on the terminal and reads a line without echoing it; absent when standard input
   * is not a terminal (then nobody can be asked).
   */
  readHidden?(question: string): Promise<string>;
  /** The clock (epoch ms). */
  now(): number;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
}

/** One `auth-cli` command. */
export interface Command {
  /** The word after `auth-cli`. */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full `--help` text. */
  help: string;
  /** Runs the command with the arguments after its name. */
  run(args: string[], io: CliIo): Promise<ExitCode>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  config: { type: 'string' },
  'state-dir': { type: 'string' },
  ...settingFlagOptions(),
} as const satisfies Options;

/**
 * Parses a command's flags strictly: the common ones (`--help`, `--config`,
 * `--state-dir`, the setting flags) and the command's own.
 *
 * @param command - The command name, for the error message.
 * @param args - The arguments after the command name.
 * @param own - The command's own options.
 * @returns The parsed values.
 * @throws {CliError} (usage) An unknown flag, a missing value, or a stray argument.
 * @example
 * ```ts
 * const values = parseCommandArgs('token', args, { json: { type: 'boolean' } });
 * ```
 */
export function parseCommandArgs(
  command: string,
  args: string[],
  own: Options,
): Record<string, string | boolean | undefined> {
  try {
    const { values } = parseArgs({
      args,
      options: { ...COMMON_OPTIONS, ...own },
      strict: true,
      allowPositionals: false,
    });
    return values as Record<string, string | boolean | undefined>;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(
      `${message}\nRun \`auth-cli ${command} --help\` for its options.`,
      EXIT_CODES.usage,
      { cause: error },
    );
  }
}

/**
 * The help section every command shares: where settings come from.
 *
 * @example
 * ```ts
 * const help = `Usage: auth-cli token [options]\n\n${SETTINGS_HELP}`;
 * ```
 */
export const SETTINGS_HELP = `Settings (a flag wins over the environment, which wins over the config file,
which wins over what the last login saved):
  --issuer <url>                  AUTH_ISSUER             issuer (discovery)
  --token-url <url>               AUTH_TOKEN_URL          token endpoint (instead of --issuer)
  --revocation-url <url>          AUTH_REVOCATION_URL     revocation endpoint (without --issuer)
  --device-authorization-url <url> AUTH_DEVICE_AUTHORIZATION_URL
  --client-id <id>                AUTH_CLIENT_ID
                                  AUTH_CLIENT_SECRET      (environment or config file only)
  --auth-method <method>          AUTH_AUTH_METHOD        client_secret_basic, client_secret_post,
                                                          private_key_jwt or none
                                  AUTH_PRIVATE_KEY        PKCS #8 PEM (environment or config file only)
  --key-id <kid>                  AUTH_KEY_ID
  --scope <scopes>                AUTH_SCOPE              space-separated
  --audience <aud>                AUTH_AUDIENCE
  --resource <uri>                AUTH_RESOURCE
  --username <name>               AUTH_USERNAME
                                  AUTH_PASSWORD           (environment, config file or --password-stdin)
  --totp <code>                   AUTH_TOTP               one-time code
  --timeout-ms <ms>               AUTH_TIMEOUT_MS
  --config <file.json>            AUTH_CLI_CONFIG         JSON object of settings by name
                                                          (issuer, clientId, clientSecret, scope, …)
  --state-dir <dir>               AUTH_CLI_STATE_DIR      where the login is kept
                                                          (default ~/.local/state/auth-cli)
  -h, --help                                              this help`;
