import { TokenManager } from '@auth/core';
import { EXIT_CODES } from '../errors.js';
import { secondsUntil } from '../format.js';
import { sessionProvider } from '../session-provider.js';
import { type Command, parseCommandArgs, SETTINGS_HELP } from './command.js';
import { notLoggedIn, openSession } from './session.js';

const OWN_OPTIONS = {
  json: { type: 'boolean' },
  refresh: { type: 'boolean' },
} as const;

/**
 * `auth-cli token`: prints a valid access token from the saved login, refreshing it (or
 * signing in again, for client credentials and a configured password) when needed.
 *
 * @example
 * ```ts
 * const exitCode = await tokenCommand.run(['--json'], io);
 * ```
 */
export const tokenCommand: Command = {
  name: 'token',
  summary: 'print a valid access token (refreshing it when needed)',
  help: `Usage: auth-cli token [--json] [--refresh] [options]

Prints an access token of the saved login that stays valid for at least 30 seconds
(or half its lifetime, for short-lived tokens), like \`gcloud auth print-access-token\`:
  - the stored token while it is valid (no request to the provider);
  - else a new one from the refresh token;
  - with client credentials, or the password grant when a password is configured,
    a new login when the refresh token is refused.
When the login cannot be renewed without you, it fails with exit code 5: run
\`auth-cli login\`.

  --json      print {"accessToken","tokenType","expiresAt","expiresInSeconds","scope"}
  --refresh   get a new access token even if the stored one is still valid

${SETTINGS_HELP}`,
  async run(args, io) {
    const values = parseCommandArgs('token', args, OWN_OPTIONS);
    const session = await openSession(values, io);
    if (!session) throw notLoggedIn();
    const manager = new TokenManager({
      provider: sessionProvider(session.record, session.settings, session.stored),
      store: session.store,
      key: session.record.key,
      // A short-lived process: a background refresh could be cut off by the exit after the
      // provider rotated the refresh token, losing the login. Renew in the foreground only.
      refreshAheadMs: 0,
      serviceName: 'the saved login',
      onEvent: (event) => {
        if (event.type === 'store-error')
          io.err(
            `auth-cli: warning: could not ${event.operation} the token file: ${event.error.message}`,
          );
      },
    });
    try {
      // forceRefresh renews once, including in a fresh process where the token is only stored.
      const tokens = values.refresh
        ? await manager.forceRefresh({ signal: io.signal })
        : await manager.getToken({ signal: io.signal });
      if (values.json) {
        const now = io.now();
        io.out(
          JSON.stringify({
            accessToken: tokens.accessToken,
            tokenType: tokens.tokenType,
            expiresAt:
              tokens.expiresAt === undefined ? null : new Date(tokens.expiresAt).toISOString(),
            expiresInSeconds: secondsUntil(tokens.expiresAt, now),
            scope: tokens.scope ?? null,
          }),
        );
      } else {
        io.out(tokens.accessToken);
      }
      return EXIT_CODES.ok;
    } finally {
      await manager.close();
    }
  },
};
