import { randomUUID } from 'node:crypto';
import {
  DateInterval,
  type GrantIdentifier,
  guardAgainstInvalidClientScopes,
  type OAuthAuthCode,
  type OAuthAuthCodeRepository,
  type OAuthClient,
  type OAuthClientRepository,
  type OAuthScope,
  type OAuthScopeRepository,
  type OAuthToken,
  type OAuthTokenRepository,
  type OAuthUser,
  type OAuthUserRepository,
} from '@jmondi/oauth2-server';

/**
 * The in-memory repositories `@jmondi/oauth2-server` needs, written as its docs and its own
 * end-to-end helpers (`test/e2e/_helpers/in_memory/repository.ts`) write them: a client is
 * valid when its secret matches and the grant is in its `allowedGrants`; revoking a token
 * expires its access and refresh parts; a refresh token is revoked once its expiry has passed.
 */
export interface InMemoryRepositories {
  /** The clients, by id. */
  clients: OAuthClientRepository;
  /** The scopes. */
  scopes: OAuthScopeRepository;
  /** Access and refresh tokens. */
  tokens: InMemoryTokenRepository;
  /** Authorization codes. */
  authCodes: OAuthAuthCodeRepository;
  /** Users, checked by password (the password grant) or by id (the code exchange). */
  users: OAuthUserRepository;
}

/** A user of the test server, with the password the password grant checks. */
export interface TestUser extends OAuthUser {
  /** The user id (also the `username` of the password grant). */
  id: string;
  /** Their password. */
  password: string;
}

/** The token repository, with the lookups the server harness needs beside the interface. */
export interface InMemoryTokenRepository extends OAuthTokenRepository {
  /** Expires the access token only, leaving its refresh token usable (no rotation). */
  expireAccessToken(token: OAuthToken): Promise<void>;
  /** The token whose access token has this id (the JWT `jti`), if any. */
  getByAccessToken(accessTokenId: string): Promise<OAuthToken>;
}

const REFRESH_TOKEN_TTL = new DateInterval('1d');
const AUTH_CODE_TTL = new DateInterval('15m');

/**
 * Builds the repositories over fresh in-memory tables.
 *
 * @param data - The registered clients, scopes and users.
 * @returns The repositories.
 */
export function inMemoryRepositories(data: {
  clients: readonly OAuthClient[];
  scopes: readonly OAuthScope[];
  users: readonly TestUser[];
}): InMemoryRepositories {
  const clients = new Map(data.clients.map((client) => [client.id, client]));
  const users = new Map(data.users.map((user) => [user.id, user]));
  const tokens = new Map<string, OAuthToken>();
  const authCodes = new Map<string, OAuthAuthCode>();

  const tokenRepository: InMemoryTokenRepository = {
    async issueToken(client, scopes, user) {
      return {
        accessToken: randomUUID(),
        accessTokenExpiresAt: new DateInterval('1h').getEndDate(),
        client,
        user,
        scopes,
      };
    },
    async issueRefreshToken(token) {
      token.refreshToken = randomUUID();
      token.refreshTokenExpiresAt = REFRESH_TOKEN_TTL.getEndDate();
      tokens.set(token.accessToken, token);
      return token;
    },
    async persist(token) {
      tokens.set(token.accessToken, token);
    },
    async revoke(token) {
      const stored = tokens.get(token.accessToken);
      if (!stored) return;
      stored.accessTokenExpiresAt = new Date(0);
      stored.refreshTokenExpiresAt = new Date(0);
    },
    async expireAccessToken(token) {
      const stored = tokens.get(token.accessToken);
      if (stored) stored.accessTokenExpiresAt = new Date(0);
    },
    async isRefreshTokenRevoked(token) {
      return Date.now() > (token.refreshTokenExpiresAt?.getTime() ?? 0);
    },
    async getByRefreshToken(refreshToken) {
      const token = [...tokens.values()].find((entry) => entry.refreshToken === refreshToken);
      if (!token) throw new Error('refresh token not found');
      return token;
    },
    async getByAccessToken(accessTokenId) {
      const token = tokens.get(accessTokenId);
      if (!token) throw new Error('access token not found');
      return token;
    },
  };

  return {
    clients: {
      // Undefined for an unknown id: the library answers that with invalid_client.
      getByIdentifier: async (clientId) => clients.get(clientId) as OAuthClient,
      async isClientValid(grantType: GrantIdentifier, client: OAuthClient, clientSecret?: string) {
        return (
          (client.secret ?? undefined) === clientSecret && client.allowedGrants.includes(grantType)
        );
      },
    },
    scopes: {
      getAllByIdentifiers: async (names) =>
        data.scopes.filter((scope) => names.includes(scope.name)),
      async finalize(scopes, _grant, client) {
        guardAgainstInvalidClientScopes(client, scopes);
        return scopes;
      },
    },
    tokens: tokenRepository,
    authCodes: {
      issueAuthCode: (client, user, scopes) => ({
        code: randomUUID(),
        client,
        user,
        scopes,
        expiresAt: AUTH_CODE_TTL.getEndDate(),
      }),
      async persist(authCode) {
        authCodes.set(authCode.code, authCode);
      },
      async isRevoked(code) {
        const authCode = authCodes.get(code);
        return !authCode || Date.now() > authCode.expiresAt.getTime();
      },
      async getByIdentifier(code) {
        const authCode = authCodes.get(code);
        if (!authCode) throw new Error('authorization code not found');
        return authCode;
      },
      async revoke(code) {
        const authCode = authCodes.get(code);
        if (authCode) authCode.expiresAt = new Date(0);
      },
    },
    users: {
      // The password grant passes the password; the code exchange looks the user up by id alone.
      async getUserByCredentials(id, password, grantType) {
        const user = users.get(String(id));
        if (!user) return undefined;
        if (grantType === 'authorization_code' && password === undefined) return user;
        return user.password === password ? user : undefined;
      },
    },
  };
}
