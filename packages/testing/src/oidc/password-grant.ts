import { errors, type Provider } from 'oidc-provider';
import { GRANT_TYPES } from './clients.js';
import { issueUserTokens, param } from './issue-tokens.js';
import { type LoginRefusal, type TestUser, verifyUser } from './users.js';

/**
 * Registers the resource owner password credentials grant (RFC 6749 §4.3) as a custom
 * grant type, with an optional `totp` parameter that users with a TOTP secret must send.
 * A wrong password or TOTP is `invalid_grant` with the reason as `error_description`; a
 * missing TOTP is HTTP 403 `mfa_required` (as Auth0 answers the password grant of a user
 * with a second factor), so a client can ask for the code.
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
      if ('reason' in result) throw refusal(result);
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

function refusal(result: LoginRefusal): Error {
  if (result.code === 'totp-required') {
    const error = new errors.CustomOIDCProviderError('mfa_required', result.reason);
    return Object.assign(error, { status: 403, statusCode: 403 });
  }
  // InvalidGrant keeps its description to itself (`error_detail`); the test bed says why.
  return Object.assign(new errors.InvalidGrant(result.reason), {
    error_description: result.reason,
  });
}
