import { randomUUID } from 'node:crypto';
import {
  AuthorizationServer,
  JwtService,
  OAuthException,
  type OAuthTokenRepository,
  type OAuthUser,
  RefreshTokenGrant,
} from '@jmondi/oauth2-server';
import {
  handleVanillaError,
  requestFromVanilla,
  responseToVanilla,
} from '@jmondi/oauth2-server/vanilla';
import {
  type ClientAuthentication,
  clientAuthentication,
  startHarnessServer,
} from '../../src/harness.js';
import { JMONDI_CLIENTS, JMONDI_SCOPES, JMONDI_USERS } from './clients.js';
import { type InMemoryTokenRepository, inMemoryRepositories } from './repositories.js';

/** Options of {@link startJmondiServer}. */
export interface JmondiServerOptions {
  /**
   * Whether a refresh hands out a new refresh token and retires the one presented (the
   * library's `RefreshTokenGrant` as shipped). `false` enables the same grant with no new
   * refresh token in the response and the presented one left valid. Default `true`.
   */
  refreshTokenRotation?: boolean;
}

/** One request the token endpoint received. */
export interface TokenRequestRecord {
  /** Its `grant_type`. */
  grantType: string | undefined;
  /** How the client authenticated: a Basic header, `client_secret` in the body, or neither. */
  clientAuth: ClientAuthentication['method'];
}

/** A running `@jmondi/oauth2-server` on 127.0.0.1. */
export interface JmondiServer {
  /** The issuer, `http://127.0.0.1:<port>`, also the base of the endpoints. */
  issuer: string;
  /** The token endpoint (`POST /token`). */
  tokenEndpoint: string;
  /** The revocation endpoint (`POST /token/revoke`, RFC 7009). */
  revocationEndpoint: string;
  /** The introspection endpoint (`POST /token/introspect`, RFC 7662). */
  introspectionEndpoint: string;
  /** The authorization endpoint (`GET /authorize`). */
  authorizationEndpoint: string;
  /** Every request the token endpoint received, in order. */
  tokenRequests: readonly TokenRequestRecord[];
  /** The cookie a "browser" sends to be signed in at the authorization endpoint as `userId`. */
  sessionCookie(userId: string): string;
  /** Stops the server. */
  close(): Promise<void>;
}

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

/**
 * A `RefreshTokenGrant` that does not rotate: the response carries no new refresh token (RFC
 * 6749 §6 lets the server keep the old one) and the token repository it is given keeps the
 * presented refresh token valid. Enabled through the library's `{ grant }` hook for custom
 * grants; everything else is the shipped grant.
 */
class NonRotatingRefreshTokenGrant extends RefreshTokenGrant {
  override async issueRefreshToken(
    accessToken: Parameters<RefreshTokenGrant['issueRefreshToken']>[0],
  ) {
    return accessToken;
  }
}

/** The token repository as the non-rotating grant sees it: "revoking" the old token only expires its access token. */
function keepingRefreshTokens(tokens: InMemoryTokenRepository): OAuthTokenRepository {
  return {
    issueToken: (client, scopes, user) => tokens.issueToken(client, scopes, user),
    issueRefreshToken: (token, client) => tokens.issueRefreshToken(token, client),
    persist: (token) => tokens.persist(token),
    revoke: (token) => tokens.expireAccessToken(token),
    isRefreshTokenRevoked: (token) => tokens.isRefreshTokenRevoked(token),
    getByRefreshToken: (refreshToken) => tokens.getByRefreshToken(refreshToken),
    getByAccessToken: (id) => tokens.getByAccessToken(id),
  };
}

/**
 * Starts `@jmondi/oauth2-server`'s `AuthorizationServer` on a plain `node:http` server on
 * 127.0.0.1 (a free port), through the library's own fetch (`vanilla`) adapter, with in-memory
 * repositories and the grants it ships: client_credentials, password, refresh_token,
 * authorization_code (PKCE S256 required) and token exchange (RFC 8693), plus its revocation
 * and introspection endpoints. The library has no discovery endpoint, so this process also
 * serves an RFC 8414 metadata document of those endpoints at
 * `/.well-known/oauth-authorization-server` and `/.well-known/openid-configuration`.
 *
 * The authorization endpoint signs the browser in by a `session` cookie
 * ({@link JmondiServer.sessionCookie}) and approves at once, as the docs' example does after
 * its login and consent pages: `authRequest.user = user; authRequest.isAuthorizationApproved =
 * true; completeAuthorizationRequest(authRequest)`.
 *
 * @param options - See {@link JmondiServerOptions}.
 * @returns The running server.
 * @throws {Error} The server could not listen on 127.0.0.1.
 * @example
 * ```ts
 * const server = await startJmondiServer({ refreshTokenRotation: false });
 * const provider = clientCredentials({ issuer: server.issuer, clientId, clientSecret });
 * // … server.tokenRequests.length counts what reached POST /token …
 * await server.close();
 * ```
 */
export async function startJmondiServer(options: JmondiServerOptions = {}): Promise<JmondiServer> {
  const repositories = inMemoryRepositories({
    clients: JMONDI_CLIENTS,
    scopes: JMONDI_SCOPES,
    users: JMONDI_USERS,
  });
  const jwt = new JwtService(`jmondi-interop-${randomUUID()}`);
  const tokenRequests: TokenRequestRecord[] = [];
  const sessions = new Map<string, OAuthUser>();
  let authorizationServer: AuthorizationServer | undefined;

  async function handle(request: Request): Promise<Response> {
    const server = authorizationServer;
    if (!server) return new Response('starting', { status: 503 });
    const { pathname } = new URL(request.url);
    try {
      if (request.method === 'POST' && pathname === '/token') {
        const oauthRequest = await requestFromVanilla(request);
        const { authorization } = oauthRequest.headers;
        tokenRequests.push({
          grantType: oauthRequest.body.grant_type,
          clientAuth: clientAuthentication(authorization, oauthRequest.body).method,
        });
        return responseToVanilla(await server.respondToAccessTokenRequest(oauthRequest));
      }
      if (request.method === 'POST' && pathname === '/token/revoke') {
        return responseToVanilla(await server.revoke(await requestFromVanilla(request)));
      }
      if (request.method === 'POST' && pathname === '/token/introspect') {
        return responseToVanilla(await server.introspect(await requestFromVanilla(request)));
      }
      if (request.method === 'GET' && pathname === '/authorize') {
        const authRequest = await server.validateAuthorizationRequest(
          await requestFromVanilla(request),
        );
        const session = /(?:^|;\s*)session=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1];
        const user = session === undefined ? undefined : sessions.get(session);
        if (!user) return new Response('sign in first', { status: 401 });
        authRequest.user = user;
        authRequest.isAuthorizationApproved = true;
        return responseToVanilla(await server.completeAuthorizationRequest(authRequest));
      }
      return new Response('not found', { status: 404 });
    } catch (error) {
      return responseToVanilla(handleVanillaError(error));
    }
  }

  const http = await startHarnessServer({ name: '@jmondi/oauth2-server', metadata, handle });
  const { issuer } = http;

  const server = new AuthorizationServer(
    repositories.clients,
    repositories.tokens,
    repositories.scopes,
    jwt,
    { issuer, requiresPKCE: true, requiresS256: true },
  );
  server.enableGrantTypes(
    { grant: 'password', userRepository: repositories.users },
    {
      grant: 'authorization_code',
      authCodeRepository: repositories.authCodes,
      userRepository: repositories.users,
    },
    {
      grant: TOKEN_EXCHANGE,
      // The subject token must be a live access token of this server; its user is the subject.
      processTokenExchange: async ({ subjectToken }) => {
        const claims = await jwt.verify(subjectToken).catch(() => undefined);
        const token =
          typeof claims?.jti === 'string'
            ? await repositories.tokens.getByAccessToken(claims.jti).catch(() => undefined)
            : undefined;
        if (!token || token.accessTokenExpiresAt.getTime() <= Date.now())
          throw OAuthException.invalidGrant('subject_token is not an active access token');
        return token.user ?? undefined;
      },
    },
  );
  if (options.refreshTokenRotation === false) {
    const shipped = server.getGrant<RefreshTokenGrant>('refresh_token');
    server.enableGrantType({
      grant: new NonRotatingRefreshTokenGrant(
        repositories.clients,
        keepingRefreshTokens(repositories.tokens),
        repositories.scopes,
        jwt,
        shipped.options,
      ),
    });
  }
  authorizationServer = server;

  return {
    issuer,
    tokenEndpoint: `${issuer}/token`,
    revocationEndpoint: `${issuer}/token/revoke`,
    introspectionEndpoint: `${issuer}/token/introspect`,
    authorizationEndpoint: `${issuer}/authorize`,
    tokenRequests,
    sessionCookie(userId) {
      const user = JMONDI_USERS.find((candidate) => candidate.id === userId);
      if (!user) throw new Error(`no user ${userId}`);
      const session = randomUUID();
      sessions.set(session, user);
      return `session=${session}`;
    },
    close: http.close,
  };
}

/** The RFC 8414 metadata of the endpoints above (the library publishes none itself). */
function metadata(issuer: string): Record<string, unknown> {
  const clientAuth = ['client_secret_basic', 'client_secret_post'];
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    revocation_endpoint: `${issuer}/token/revoke`,
    introspection_endpoint: `${issuer}/token/introspect`,
    grant_types_supported: [
      'client_credentials',
      'password',
      'refresh_token',
      'authorization_code',
      TOKEN_EXCHANGE,
    ],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: JMONDI_SCOPES.map((scope) => scope.name),
    token_endpoint_auth_methods_supported: [...clientAuth, 'none'],
    revocation_endpoint_auth_methods_supported: clientAuth,
    introspection_endpoint_auth_methods_supported: clientAuth,
  };
}
