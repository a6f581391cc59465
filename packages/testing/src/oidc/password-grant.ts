import { errors, type Provider } from 'oidc-provider';
import { GRANT_TYPES } from './clients.js';
import { issueUserTokens, param } from './issue-tokens.js';
import { type TestUser, verifyUser } from './users.js';

/**
 * Registers the resource owner password credentials grant (RFC 6749 §4.3) as a custom
 * grant type, with an optional `totp` parameter that users with a TOTP secret must send.
 * A wrong password or TOTP is `invalid_grant`.
 *
 * @param provider - The provider to extend.
 * @param users - The users who may log in.
 */
export function registerPasswordGrant(provider: Provider, users: readonly TestUser[]): void {
  provider.registerGrantType(
    GRANT_TYPES.password,
    async (ctx, next) => {
      const result = verifyUser(users, {
        username: param(ctx, 'username'),
        password: param(ctx, 'password'),
        totp: param(ctx, 'totp'),
      });
      if ('reason' in result) throw new errors.InvalidGrant(result.reason);
      ctx.body = await issueUserTokens(ctx, {
        accountId: result.user.username,
        scope: param(ctx, 'scope'),
        gty: 'password',
      });
      await next();
    },
    ['username', 'password', 'totp', 'scope'],
  );
}
