import type OAuth2Server from '@node-oauth/oauth2-server';

type Client = OAuth2Server.Client;
type User = OAuth2Server.User;
type Token = OAuth2Server.Token;
type AuthorizationCode = OAuth2Server.AuthorizationCode;
type RefreshToken = OAuth2Server.RefreshToken;

/** A client registered with the in-memory model. */
export interface RegisteredClient {
  /** The client id. */
  id: string;
  /** The secret of a confidential client; none for a public client. */
  secret?: string;
  /** The grants it may use (`client_credentials`, `password`, `refresh_token`, `authorization_code`). */
  grants: string[];
  /**
   * Its redirect URIs. A loopback URI (`http://127.0.0.1/...`) matches any port, as RFC 8252
   * §7.3 asks of native-app redirects.
   */
  redirectUris?: string[];
}

/** A user of the password grant and of the authorization endpoint. */
export interface RegisteredUser {
  /** The user name. */
  username: string;
  /** The password. */
  password: string;
}

/** The model's configuration: who exists. */
export interface ModelOptions {
  /** The registered clients. */
  clients: readonly RegisteredClient[];
  /** The registered users. */
  users: readonly RegisteredUser[];
}

/** Everything the library's model spec asks for the grants we enable, plus `getAccessToken`. */
export type InMemoryModel = OAuth2Server.AuthorizationCodeModel &
  OAuth2Server.ClientCredentialsModel &
  OAuth2Server.PasswordModel &
  OAuth2Server.RefreshTokenModel;

/**
 * An in-memory model for `@node-oauth/oauth2-server`
 * (https://node-oauthoauth2-server.readthedocs.io/en/master/model/spec.html): clients, users,
 * access and refresh tokens, and authorization codes with their PKCE challenge. A refresh token
 * revoked by the library (rotation) is deleted, so reusing it finds nothing.
 *
 * @param options - The clients and users.
 * @returns The model to hand to `new OAuth2Server({ model })`.
 * @example
 * ```ts
 * const model = inMemoryModel({
 *   clients: [{ id: 'app', secret: 'appsecret1', grants: ['client_credentials'] }],
 *   users: [],
 * });
 * ```
 */
export function inMemoryModel(options: ModelOptions): InMemoryModel {
  const clients = new Map(options.clients.map((client) => [client.id, client]));
  const accessTokens = new Map<string, Token>();
  const refreshTokens = new Map<string, Token>();
  const codes = new Map<string, AuthorizationCode>();

  const asClient = (client: RegisteredClient): Client => ({
    id: client.id,
    grants: client.grants,
    redirectUris: client.redirectUris ?? [],
  });

  return {
    // The library passes no secret when the authorization endpoint looks a client up, and when
    // a public client redeems a code with a PKCE verifier: then only public clients are found.
    async getClient(clientId: string, clientSecret: string | null | undefined) {
      const client = clients.get(clientId);
      if (!client) return undefined;
      if (clientSecret == null) return client.secret === undefined ? asClient(client) : undefined;
      return client.secret === clientSecret ? asClient(client) : undefined;
    },

    async getUser(username: string, password: string) {
      const user = options.users.find((candidate) => candidate.username === username);
      return user && user.password === password ? { username } : undefined;
    },

    async getUserFromClient(client: Client) {
      return { username: `client:${client.id}` };
    },

    async saveToken(token: Token, client: Client, user: User) {
      const saved: Token = { ...token, client, user };
      accessTokens.set(saved.accessToken, saved);
      if (saved.refreshToken) refreshTokens.set(saved.refreshToken, saved);
      return saved;
    },

    async getAccessToken(accessToken: string) {
      return accessTokens.get(accessToken);
    },

    async getRefreshToken(refreshToken: string) {
      const token = refreshTokens.get(refreshToken);
      if (!token?.refreshToken) return undefined;
      const found: RefreshToken = {
        refreshToken: token.refreshToken,
        refreshTokenExpiresAt: token.refreshTokenExpiresAt,
        scope: token.scope,
        client: token.client,
        user: token.user,
      };
      return found;
    },

    async revokeToken(token: RefreshToken) {
      return refreshTokens.delete(token.refreshToken);
    },

    async saveAuthorizationCode(code, client: Client, user: User) {
      const saved: AuthorizationCode = { ...code, client, user };
      codes.set(saved.authorizationCode, saved);
      return saved;
    },

    async getAuthorizationCode(authorizationCode: string) {
      return codes.get(authorizationCode);
    },

    async revokeAuthorizationCode(code: AuthorizationCode) {
      return codes.delete(code.authorizationCode);
    },

    async validateRedirectUri(redirectUri: string, client: Client) {
      const registered = Array.isArray(client.redirectUris) ? client.redirectUris : [];
      return registered.some((uri) => sameRedirect(uri, redirectUri));
    },
  };
}

/** Equal URIs, or loopback URIs equal but for the port (RFC 8252 §7.3). */
function sameRedirect(registered: string, requested: string): boolean {
  if (registered === requested) return true;
  const a = URL.canParse(registered) ? new URL(registered) : undefined;
  const b = URL.canParse(requested) ? new URL(requested) : undefined;
  if (!a || !b || a.hostname !== '127.0.0.1' || a.protocol !== 'http:') return false;
  return (
    b.protocol === a.protocol &&
    b.hostname === a.hostname &&
    b.pathname === a.pathname &&
    b.search === a.search
  );
}
