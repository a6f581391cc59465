import type { KoaContextWithOIDC } from 'oidc-provider';

/** What a custom grant issues for a user. */
export interface UserTokenRequest {
  accountId: string;
  scope: string | undefined;
  /** The grant type tag stored on the tokens (`password`, `jwt_bearer`, …). */
  gty: string;
  /** Issue a refresh token when the client may use the refresh_token grant. Default true. */
  withRefreshToken?: boolean;
}

/**
 * Issues an access token (and a refresh token, when the client may refresh) for a user,
 * backed by a new oidc-provider `Grant`, so the built-in refresh_token grant, revocation
 * and introspection work on tokens of the custom grants too.
 *
 * @param ctx - The token endpoint context of the custom grant.
 * @param request - Who the tokens are for and what they hold.
 * @returns The RFC 6749 §5.1 response body.
 */
export async function issueUserTokens(
  ctx: KoaContextWithOIDC,
  request: UserTokenRequest,
): Promise<Record<string, unknown>> {
  const { provider } = ctx.oidc;
  const client = ctx.oidc.client!;
  const grant = new provider.Grant({ accountId: request.accountId, clientId: client.clientId });
  if (request.scope) grant.addOIDCScope(request.scope);
  const grantId = await grant.save();
  const accessToken = new provider.AccessToken({
    accountId: request.accountId,
    client,
    grantId,
    gty: request.gty,
    scope: request.scope ?? '',
  });
  const accessTokenValue = await accessToken.save();
  let refreshTokenValue: string | undefined;
  if (request.withRefreshToken !== false && client.grantTypeAllowed('refresh_token')) {
    const refreshToken = new provider.RefreshToken({
      accountId: request.accountId,
      client,
      grantId,
      gty: request.gty,
      scope: request.scope ?? '',
      rotations: 0,
    });
    refreshTokenValue = await refreshToken.save();
  }
  return {
    access_token: accessTokenValue,
    token_type: 'Bearer',
    expires_in: accessToken.expiration,
    refresh_token: refreshTokenValue,
    scope: request.scope || undefined,
  };
}

/** Reads a string parameter of the current request. */
export function param(ctx: KoaContextWithOIDC, name: string): string | undefined {
  const value = (ctx.oidc.params as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
