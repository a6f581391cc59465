import { errors, type KoaContextWithOIDC, type Provider } from 'oidc-provider';
import { GRANT_TYPES } from './clients.js';
import { issueUserTokens, param, requiredParam } from './issue-tokens.js';

const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/**
 * Registers RFC 8693 token exchange: a valid access token of this provider
 * (`subject_token`, type `…:access_token`) is exchanged for a new access token for the
 * same user (or, for a machine token, the exchanging client); its `audience` and `act`
 * (from `actor_token`) are remembered for `inspectToken`.
 *
 * @param provider - The provider to extend.
 * @param remember - Keeps the extra claims of each issued token for `inspectToken`.
 */
export function registerTokenExchangeGrant(
  provider: Provider,
  remember: (accessToken: string, extra: Record<string, unknown>) => void,
): void {
  provider.registerGrantType(
    GRANT_TYPES.tokenExchange,
    async (ctx, next) => {
      const subjectToken = requiredParam(ctx, 'subject_token');
      if (param(ctx, 'subject_token_type') !== ACCESS_TOKEN_TYPE)
        throw new errors.InvalidRequest('unsupported subject_token_type');
      const subject =
        (await provider.AccessToken.find(subjectToken)) ??
        (await provider.ClientCredentials.find(subjectToken));
      if (!subject) throw new errors.InvalidGrant('subject token is invalid or expired');
      const extra: Record<string, unknown> = { audience: param(ctx, 'audience') };
      const actorToken = param(ctx, 'actor_token');
      if (actorToken) {
        const actor = await provider.ClientCredentials.find(actorToken);
        if (!actor) throw new errors.InvalidGrant('actor token is invalid or expired');
        extra.act = { sub: actor.clientId };
      }
      const scope = param(ctx, 'scope') ?? subject.scope;
      const accountId = 'accountId' in subject ? subject.accountId : undefined;
      const body = accountId
        ? await issueUserTokens(ctx, {
            accountId,
            scope,
            gty: 'token_exchange',
            withRefreshToken: false,
          })
        : await issueMachineToken(ctx, scope);
      remember(String(body.access_token), extra);
      ctx.body = { ...body, issued_token_type: ACCESS_TOKEN_TYPE };
      await next();
    },
    [
      'subject_token',
      'subject_token_type',
      'actor_token',
      'actor_token_type',
      'requested_token_type',
      'audience',
      'scope',
    ],
  );
}

async function issueMachineToken(
  ctx: KoaContextWithOIDC,
  scope: string | undefined,
): Promise<Record<string, unknown>> {
  const token = new ctx.oidc.provider.ClientCredentials({
    client: ctx.oidc.client!,
    scope: scope ?? '',
  });
  const value = await token.save();
  return { access_token: value, token_type: 'Bearer', expires_in: token.expiration, scope };
}
