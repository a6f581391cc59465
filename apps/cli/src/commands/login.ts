import { AuthenticationError, OAuthError, type TokenSet } from '@auth/core';
import type { DeviceUserCode } from '@auth/oauth';
import { CliError, EXIT_CODES } from '../errors.js';
import { expiryPhrase, formatDuration } from '../format.js';
import { PromptCancelledError } from '../prompt/hidden-input.js';
import { buildProvider } from '../settings/build-provider.js';
import { resolveSettings } from '../settings/resolve-settings.js';
import {
  pickSettings,
  rememberedByLogin,
  type Settings,
  settingsFromFlags,
} from '../settings/setting-specs.js';
import {
  LOGIN_GRANTS,
  type LoginGrant,
  readLoginRecord,
  writeLoginRecord,
} from '../state/login-record.js';
import { openTokenStore } from '../state/state-paths.js';
import { type CliIo, type Command, parseCommandArgs, SETTINGS_HELP } from './command.js';
import { configPathOf, pathsOf } from './session.js';

const OWN_OPTIONS = {
  device: { type: 'boolean' },
  password: { type: 'boolean' },
  'client-credentials': { type: 'boolean' },
  'password-stdin': { type: 'boolean' },
} as const;

const GRANT_LABELS: Record<LoginGrant, string> = {
  device_code: 'the device code grant',
  password: 'the password grant',
  client_credentials: 'client credentials',
};

/**
 * `auth-cli login`: signs in (device code by default, `--password`, or
 * `--client-credentials`), keeps the tokens in the token file and saves the settings
 * (the client secret included, but not the password), so later commands need no flags.
 *
 * @example
 * ```ts
 * const exitCode = await loginCommand.run(['--issuer', issuer, '--client-id', 'cli'], io);
 * ```
 */
export const loginCommand: Command = {
  name: 'login',
  summary: 'sign in (device code, password or client credentials) and keep the tokens',
  help: `Usage: auth-cli login [--device | --password | --client-credentials] [options]

Signs in and keeps the tokens, so that \`auth-cli token\` works in later runs.

  --device               the device authorization grant (RFC 8628), the default: prints a
                         URL and a code to enter there, then waits for the approval
  --password             the password grant: --username, and the password from
                         AUTH_PASSWORD, the config file or --password-stdin, else asked
                         on the terminal (not echoed); --totp <code> when the account
                         has a second factor (asked on the terminal when the provider
                         says one is needed)
  --password-stdin       read the password from standard input
  --client-credentials   the client credentials grant (needs AUTH_CLIENT_SECRET or a key)

Without one of them: AUTH_GRANT / "grant" in the config file, else the previous login's
grant, else --device. A new login replaces the previous one. The login remembers its
settings, the client secret included (in a file only you can read), so later commands
need none; never the password or one-time code.

${SETTINGS_HELP}`,
  async run(args, io) {
    const values = parseCommandArgs('login', args, OWN_OPTIONS);
    const paths = pathsOf(values, io);
    const previous = await readLoginRecord(paths.loginFile);
    const given = await resolveSettings({
      flags: settingsFromFlags(values),
      env: io.env,
      configPath: configPathOf(values, io),
    });
    const grant = chooseGrant(values, given, previous?.grant);
    const settings: Settings = {
      ...(previous && carriesOver(previous.settings, given, previous.grant === grant)
        ? previous.settings
        : {}),
      ...given,
      grant,
    };
    if (values['password-stdin']) settings.password = await readPassword(io);
    else if (grant === 'password' && !settings.password && settings.username) {
      if (!io.readHidden) throw new CliError(NO_PASSWORD, EXIT_CODES.usage);
      settings.password = await askHidden(
        io.readHidden,
        `Password for ${settings.username}: `,
        'password',
      );
    }
    let provider = buildProvider(settings, { onUserCode: (prompt) => showUserCode(prompt, io) });
    let tokens: TokenSet;
    try {
      tokens = await provider.fetchToken({ signal: io.signal });
    } catch (error) {
      // A second factor the user did not give: ask for it on a terminal, once.
      if (!(io.readHidden && !settings.totp && isMfaRequired(error))) throw error;
      settings.totp = await askHidden(io.readHidden, 'One-time code: ', 'one-time code');
      provider = buildProvider(settings);
      tokens = await provider.fetchToken({ signal: io.signal });
    }

    const store = openTokenStore(paths, (line) => io.err(`auth-cli: warning: ${line}`));
    if (previous && previous.key !== provider.cacheKey) await store.delete(previous.key);
    await store.set(provider.cacheKey, tokens);
    await writeLoginRecord(paths.loginFile, {
      version: 1,
      grant,
      key: provider.cacheKey,
      settings: pickSettings(settings, rememberedByLogin),
      loggedInAt: io.now(),
    });
    io.out(
      `Logged in with ${GRANT_LABELS[grant]}${settings.username ? ` as ${settings.username}` : ''}. ` +
        `The access token ${expiryPhrase(tokens.expiresAt, io.now())}` +
        `${tokens.refreshToken ? '; a refresh token renews it' : ''}.`,
    );
    io.out(`Tokens are kept in ${paths.tokenFile}.`);
    return EXIT_CODES.ok;
  },
};

function chooseGrant(
  values: Record<string, unknown>,
  settings: Settings,
  previousGrant: LoginGrant | undefined,
): LoginGrant {
  const chosen = (
    [
      ['device', 'device_code'],
      ['password', 'password'],
      ['client-credentials', 'client_credentials'],
    ] as const
  ).filter(([flag]) => values[flag] === true);
  if (chosen.length > 1) {
    throw new CliError(
      `choose one of ${chosen.map(([flag]) => `--${flag}`).join(', ')}`,
      EXIT_CODES.usage,
    );
  }
  if (chosen[0]) return chosen[0][1];
  if (settings.grant !== undefined) {
    if (!(LOGIN_GRANTS as readonly string[]).includes(settings.grant)) {
      throw new CliError(
        `auth-cli login signs in with ${LOGIN_GRANTS.join(', ')}; the configured grant (AUTH_GRANT or "grant") is "${settings.grant}"`,
        EXIT_CODES.usage,
      );
    }
    return settings.grant as LoginGrant;
  }
  return previousGrant ?? 'device_code';
}

async function readPassword(io: CliIo): Promise<string> {
  const password = (await io.readStdin()).replace(/\r?\n$/, '');
  if (password === '')
    throw new CliError('--password-stdin read an empty password', EXIT_CODES.usage);
  return password;
}

const NO_PASSWORD =
  'the password grant needs a password: set AUTH_PASSWORD, put "password" in the config file, or pipe it with --password-stdin (on a terminal, auth-cli asks for it)';

/** Asks for a secret on the terminal; an empty answer (or Ctrl-D) is a usage error. */
async function askHidden(
  readHidden: NonNullable<CliIo['readHidden']>,
  question: string,
  what: string,
): Promise<string> {
  let answer: string;
  try {
    answer = await readHidden(question);
  } catch (error) {
    if (error instanceof PromptCancelledError && error.key === 'end') answer = '';
    else throw error;
  }
  if (answer === '') throw new CliError(`no ${what} was entered`, EXIT_CODES.usage);
  return answer;
}

function isMfaRequired(error: unknown): boolean {
  const cause = AuthenticationError.isInstance(error) ? error.cause : error;
  return OAuthError.isInstance(cause) && cause.error === 'mfa_required';
}

function showUserCode(prompt: DeviceUserCode, io: CliIo): void {
  io.err(`To sign in, open ${prompt.verificationUri} and enter the code: ${prompt.userCode}`);
  if (prompt.verificationUriComplete) io.err(`(or open ${prompt.verificationUriComplete})`);
  io.err(
    `Waiting for the approval; the code expires in ${formatDuration(prompt.expiresAt - io.now())}.`,
  );
}

/** The settings that name the client and where it logs in. */
const CLIENT_IDENTITY = ['issuer', 'tokenUrl', 'clientId'] as const;

/**
 * Whether a new login reuses the previous one's settings: same grant, and no issuer, token
 * URL or client id given that differs from the saved one. The saved settings hold the
 * client secret or key, which must never go to another server or client.
 */
function carriesOver(saved: Settings, given: Settings, sameGrant: boolean): boolean {
  return (
    sameGrant &&
    CLIENT_IDENTITY.every((name) => given[name] === undefined || given[name] === saved[name])
  );
}
