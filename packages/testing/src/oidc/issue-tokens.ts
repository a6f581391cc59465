import { errors, type KoaContextWithOIDC } from 'oidc-provider';

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
  const claims = {
    accountId: request.accountId,
    client,
    grantId,
    gty: request.gty,
    scope: request.scope ?? '',
  };
  const accessToken = new provider.AccessToken(claims);
  const accessTokenValue = await accessToken.save();
  let refreshTokenValue: string | undefined;
  if (request.withRefreshToken !== false && client.grantTypeAllowed('refresh_token')) {
    refreshTokenValue = await new provider.RefreshToken({ ...claims, rotations: 0 }).save();
  }
  return {
    access_token: accessTokenValue,
    token_type: 'Bearer',
    expires_in: accessToken.expiration,
    refresh_token: refreshTokenValue,
    scope: request.scope || undefined,
  };
}

/**
 * Reads a parameter the grant cannot do without.
 *
 * @throws {errors.InvalidRequest} It is missing or empty (`missing <name>`).
 */
export function requiredParam(ctx: KoaContextWithOIDC, name: string): string {
  const value = param(ctx, name);
  if (value === undefined) throw new errors.InvalidRequest(`missing ${name}`);
  return value;
}

/** Reads a string parameter of the current request. */
export function param(ctx: KoaContextWithOIDC, name: string): string | undefined {
  const value = (ctx.oidc.params as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
