import { EXIT_CODES } from '../errors.js';
import { expiryPhrase, secondsUntil } from '../format.js';
import { sessionProvider } from '../session-provider.js';
import { type Command, parseCommandArgs, SETTINGS_HELP } from './command.js';
import { openSession, pathsOf } from './session.js';

/**
 * `auth-cli status`: who is logged in, with which settings (secrets as `set`/`not set`),
 * and when the access token expires. Makes no request to the provider.
 *
 * @example
 * ```ts
 * const exitCode = await statusCommand.run(['--json'], io);
 * ```
 */
export const statusCommand: Command = {
  name: 'status',
  summary: 'show the saved login, its settings and the expiry countdown',
  help: `Usage: auth-cli status [--json] [options]

Shows the saved login: the grant, the provider's settings (secrets only as "set" or
"not set"), where the tokens are kept and when the access token expires. Contacts
nobody. Exit code 0 when logged in, 5 when not (or when the login is gone).

  --json   print one JSON object instead

${SETTINGS_HELP}`,
  async run(args, io) {
    const values = parseCommandArgs('status', args, { json: { type: 'boolean' } });
    const session = await openSession(values, io);
    const now = io.now();
    if (!session?.stored) {
      const tokenFile = pathsOf(values, io).tokenFile;
      const reason = session ? 'the login has expired' : 'no saved login';
      if (values.json) io.out(JSON.stringify({ loggedIn: false, reason, tokenFile }));
      else
        io.out(`Not logged in${session ? ': the login has expired' : ''}. Run \`auth-cli login\`.`);
      return EXIT_CODES.loginRequired;
    }
    const { record, stored, paths } = session;
    const provider = sessionProvider(record, session.settings, stored).describe?.() ?? {};
    const accessValid = stored.isAccessValid(0, now);
    const refreshToken = stored.refreshToken ? 'set' : 'not set';
    if (values.json) {
      io.out(
        JSON.stringify({
          loggedIn: true,
          grant: record.grant,
          username: record.settings.username ?? null,
          loggedInAt: new Date(record.loggedInAt).toISOString(),
          accessToken: {
            valid: accessValid,
            expiresAt:
              stored.expiresAt === undefined ? null : new Date(stored.expiresAt).toISOString(),
            expiresInSeconds: secondsUntil(stored.expiresAt, now),
            fingerprint: stored.fingerprint,
          },
          refreshToken,
          scope: stored.scope ?? null,
          tokenFile: paths.tokenFile,
          provider,
        }),
      );
      return EXIT_CODES.ok;
    }
    const user = record.settings.username ? ` as ${record.settings.username}` : '';
    io.out(
      `Logged in with ${record.grant}${user} since ${new Date(record.loggedInAt).toISOString()}.`,
    );
    io.out(
      `Access token: ${accessValid ? 'valid' : 'expired'}, ${expiryPhrase(stored.expiresAt, now)}`,
    );
    io.out(`Refresh token: ${refreshToken}`);
    if (stored.scope) io.out(`Scope: ${stored.scope}`);
    io.out(`Tokens kept in: ${paths.tokenFile}`);
    io.out('Provider:');
    for (const [name, value] of Object.entries(provider))
      if (value !== undefined) io.out(`  ${name}: ${value}`);
    return EXIT_CODES.ok;
  },
};
