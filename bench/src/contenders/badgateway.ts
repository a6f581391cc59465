import { OAuth2Client, OAuth2Fetch } from '@badgateway/oauth2-client';
import { type Contender, drain } from '../contender.js';

/** `@badgateway/oauth2-client`: its `OAuth2Fetch` wrapper with `getNewToken: () => client.clientCredentials()`, as its README shows. */
export const badgateway: Contender = {
  id: 'badgateway',
  packageName: '@badgateway/oauth2-client',
  usage: 'new OAuth2Fetch({ client, getNewToken: () => client.clientCredentials() }).fetch(url)',
  async create({ tokenUrl, clientId, clientSecret, apiUrl }) {
    const client = new OAuth2Client({
      server: new URL(tokenUrl).origin,
      tokenEndpoint: tokenUrl,
      clientId,
      clientSecret,
    });
    const oauthFetch = new OAuth2Fetch({ client, getNewToken: () => client.clientCredentials() });
    return {
      get: async (path) => drain(await oauthFetch.fetch(new URL(path, apiUrl).href)),
      close: async () => {},
    };
  },
};
