import { revokeToken } from '@auth/oauth';
import { CliError, describeFailure, EXIT_CODES } from '../errors.js';
import { clientOptions } from '../settings/resolve-settings.js';
import { deleteLoginRecord } from '../state/login-record.js';
import { type Command, parseCommandArgs, SETTINGS_HELP } from './command.js';
import { openSession, type Session } from './session.js';

/**
 * `auth-cli logout`: revokes the refresh token and the access token at the provider
 * (RFC 7009), then deletes the stored tokens and the saved login.
 *
 * @example
 * ```ts
 * const exitCode = await logoutCommand.run([], io);
 * ```
 */
export const logoutCommand: Command = {
  name: 'logout',
  summary: 'revoke the tokens at the provider and forget the login',
  help: `Usage: auth-cli logout [--local] [options]

Revokes the refresh token and the access token at the provider (RFC 7009: its
revocation endpoint, discovered from the issuer or --revocation-url), then deletes
the stored tokens and the saved login. Confidential clients revoke with the secret
or key the login remembered. When revocation fails, nothing is deleted.

  --local   forget the login without revoking anything at the provider

${SETTINGS_HELP}`,
  async run(args, io) {
    const values = parseCommandArgs('logout', args, { local: { type: 'boolean' } });
    const session = await openSession(values, io);
    if (!session) {
      io.out('Not logged in; nothing to do.');
      return EXIT_CODES.ok;
    }
    const revoked = values.local ? [] : await revokeAll(session, io.signal);
    await session.store.delete(session.record.key);
    await deleteLoginRecord(session.paths.loginFile);
    const what =
      revoked.length > 0
        ? `revoked the ${revoked.join(' and the ')} at the provider and removed`
        : 'removed';
    io.out(`Logged out: ${what} the stored tokens (${session.paths.tokenFile}).`);
    return EXIT_CODES.ok;
  },
};

async function revokeAll(session: Session, signal: AbortSignal): Promise<string[]> {
  const { stored, settings } = session;
  if (!stored) return [];
  const targets = [
    ...(stored.refreshToken
      ? [{ token: stored.refreshToken, hint: 'refresh_token', label: 'refresh token' } as const]
      : []),
    { token: stored.accessToken, hint: 'access_token', label: 'access token' } as const,
  ];
  const revoked: string[] = [];
  for (const target of targets) {
    try {
      await revokeToken({
        ...clientOptions(settings),
        token: target.token,
        tokenTypeHint: target.hint,
        signal,
      });
    } catch (error) {
      const failure = describeFailure(error);
      throw new CliError(
        `could not revoke the ${target.label}: ${failure.message}\n` +
          'The login is kept. Fix the settings and retry, or run `auth-cli logout --local` to forget it without revoking.',
        failure.exitCode,
        { cause: error },
      );
    }
    revoked.push(target.label);
  }
  return revoked;
}
