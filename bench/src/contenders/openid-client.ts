import * as oidc from 'openid-client';
import { type Contender, drain } from '../contender.js';

type Tokens = Awaited<ReturnType<typeof oidc.clientCredentialsGrant>>;

/**
 * `openid-client` v6: `clientCredentialsGrant` with the cache its docs leave to the user
 * (keep the response, fetch again once `expiresIn()` reaches 0), and `fetchProtectedResource`.
 */
export const openidClient: Contender = {
  id: 'openid-client',
  packageName: 'openid-client',
  usage:
    'tokens = expiresIn() > 0 ? tokens : await clientCredentialsGrant(config); fetchProtectedResource(config, tokens.access_token, url, "GET")',
  async create({ tokenUrl, clientId, clientSecret, apiUrl }) {
    const config = new oidc.Configuration(
      { issuer: new URL(tokenUrl).origin, token_endpoint: tokenUrl },
      clientId,
      clientSecret,
    );
    oidc.allowInsecureRequests(config); // plain http on 127.0.0.1
    let tokens: Tokens | undefined;
    const accessToken = async () => {
      if (!tokens || !((tokens.expiresIn() ?? 0) > 0))
        tokens = await oidc.clientCredentialsGrant(config);
      return tokens.access_token;
    };
    return {
      get: async (path) =>
        drain(
          await oidc.fetchProtectedResource(
            config,
            await accessToken(),
            new URL(path, apiUrl),
            'GET',
          ),
        ),
      close: async () => {},
    };
  },
};
