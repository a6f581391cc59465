import type { Provider } from 'oidc-provider';

/** What the provider knows of an active token it issued. */
export interface IssuedTokenInfo {
  kind: 'access_token' | 'client_credentials' | 'refresh_token';
  clientId: string;
  /** The user, for user tokens. */
  accountId: string | undefined;
  scope: string | undefined;
  /** The audience (resource indicator) the token is bound to, if any. */
  audience: string | string[] | undefined;
  /** What token exchange recorded for the token (`audience`, `act`). */
  extra: Record<string, unknown> | undefined;
  /** The grant type(s) that produced it (`password`, `refresh_token`, …). */
  gty: string | undefined;
  /** The JWK thumbprint of the DPoP key the token is bound to (`cnf.jkt`, RFC 9449 §6), if any. */
  jkt: string | undefined;
  /** The SHA-256 thumbprint of the certificate the token is bound to (`cnf.x5t#S256`, RFC 8705 §3.1), if any. */
  x5t: string | undefined;
}

/**
 * Looks an access, machine or refresh token up in the provider's storage.
 *
 * @param provider - The provider that issued it.
 * @param value - The token value.
 * @param extras - What token exchange remembered per token.
 * @returns Its details, or `undefined` when it is unknown, expired, revoked or consumed.
 */
export async function inspectIssuedToken(
  provider: Provider,
  value: string,
  extras: ReadonlyMap<string, Record<string, unknown>>,
): Promise<IssuedTokenInfo | undefined> {
  const candidates = [
    ['access_token', await provider.AccessToken.find(value)],
    ['client_credentials', await provider.ClientCredentials.find(value)],
    ['refresh_token', await provider.RefreshToken.find(value)],
  ] as const;
  for (const [kind, token] of candidates) {
    if (!token) continue;
    const fields = token as unknown as Record<string, unknown>;
    if (fields.consumed) return undefined;
    return {
      kind,
      clientId: String(token.clientId),
      accountId: typeof fields.accountId === 'string' ? fields.accountId : undefined,
      scope: token.scope,
      audience: fields.aud as string | string[] | undefined,
      extra: extras.get(value),
      gty: typeof fields.gty === 'string' ? fields.gty : undefined,
      jkt: typeof fields.jkt === 'string' ? fields.jkt : undefined,
      x5t: typeof fields['x5t#S256'] === 'string' ? fields['x5t#S256'] : undefined,
    };
  }
  return undefined;
}
