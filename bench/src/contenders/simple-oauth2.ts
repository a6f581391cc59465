import { type AccessToken, ClientCredentials } from 'simple-oauth2';
import { type Contender, drain } from '../contender.js';

/**
 * `simple-oauth2`: its README's pattern for client credentials: keep the `AccessToken`,
 * `getToken()` again when `expired()`; the API call is a plain `fetch` with the token.
 */
export const simpleOauth2: Contender = {
  id: 'simple-oauth2',
  packageName: 'simple-oauth2',
  usage:
    'token = token && !token.expired() ? token : await client.getToken({}); fetch(url, { headers: { Authorization: `Bearer …` } })',
  async create({ tokenUrl, clientId, clientSecret, apiUrl }) {
    const url = new URL(tokenUrl);
    const client = new ClientCredentials({
      client: { id: clientId, secret: clientSecret },
      auth: { tokenHost: url.origin, tokenPath: url.pathname },
    });
    let token: AccessToken | undefined;
    const accessToken = async () => {
      if (!token || token.expired()) token = await client.getToken({});
      return String(token.token.access_token);
    };
    return {
      get: async (path) =>
        drain(
          await fetch(new URL(path, apiUrl), {
            headers: { Authorization: `Bearer ${await accessToken()}` },
          }),
        ),
      close: async () => {},
    };
  },
};
