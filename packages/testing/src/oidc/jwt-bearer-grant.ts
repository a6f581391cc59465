import { jwtVerify } from 'jose';
import { errors, type Provider } from 'oidc-provider';
import { GRANT_TYPES, type TestKeys } from './clients.js';
import { issueUserTokens, param, requiredParam } from './issue-tokens.js';
import type { TestUser } from './users.js';

/**
 * Registers the RFC 7523 §2.1 JWT bearer assertion grant: an `assertion` signed by the
 * trusted assertion issuer, with `aud` = the provider's issuer and `sub` = a test user,
 * gets an access token for that user. Anything else is `invalid_grant`.
 *
 * @param provider - The provider to extend.
 * @param trusted - The assertion issuer and its public key.
 * @param users - The users assertions may name.
 */
export function registerJwtBearerGrant(
  provider: Provider,
  trusted: TestKeys['assertionIssuer'],
  users: readonly TestUser[],
): void {
  provider.registerGrantType(
    GRANT_TYPES.jwtBearer,
    async (ctx, next) => {
      const assertion = requiredParam(ctx, 'assertion');
      let subject: string | undefined;
      try {
        const { payload } = await jwtVerify(assertion, trusted.publicKey, {
          issuer: trusted.issuer,
          audience: provider.issuer,
        });
        subject = payload.sub;
      } catch {
        throw new errors.InvalidGrant('assertion is invalid');
      }
      if (!users.some((user) => user.username === subject))
        throw new errors.InvalidGrant('assertion subject is unknown');
      ctx.body = await issueUserTokens(ctx, {
        accountId: subject!,
        scope: param(ctx, 'scope'),
        gty: 'jwt_bearer',
        withRefreshToken: false,
      });
      await next();
    },
    ['assertion', 'scope'],
  );
}
