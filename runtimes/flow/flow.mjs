/**
 * The flow every runtime runs, written once: a new user's path through the packages. It is
 * given the three packages (as ES modules or CommonJS builds, however the runtime loaded
 * them) and the bed's URLs and credentials, and returns what it saw as plain JSON; the test
 * on Node compares that with what the servers saw.
 *
 * @param {{ core: typeof import('@auth/core'), oauth: typeof import('@auth/oauth'), fetch: typeof import('@auth/fetch') }} packages
 * @param {import('../src/bed.ts').FlowInput} input
 */
export async function runFlow(packages, input) {
  const { TokenManager, tokenAuth, apiKeyAuth, basicAuth, keyPairAuth, signedKeyAuth } =
    packages.core;
  const { clientCredentials } = packages.oauth;
  const { createAuthFetch } = packages.fetch;
  const baseUrl = input.apiUrl;
  const events = [];
  const manager = new TokenManager({
    provider: clientCredentials({
      tokenUrl: input.tokenUrl,
      clientId: input.clientId,
      clientSecret: input.clientSecret,
    }),
    onEvent: (event) => events.push(event.type),
  });
  const api = createAuthFetch({ auth: tokenAuth(manager), baseUrl });
  const statusOf = async (fetcher, path, init) => {
    const response = await fetcher(path, init);
    await response.arrayBuffer();
    return response.status;
  };
  try {
    // Client credentials → TokenManager → createAuthFetch → API: one token for a burst.
    const burst = await Promise.all([1, 2, 3, 4].map((n) => statusOf(api, `/bearer/burst/${n}`)));
    const first = await manager.getToken();

    const refreshed = await manager.forceRefresh();
    const afterRefresh = await statusOf(api, '/bearer/after-refresh');

    // The API stops accepting the current token: the 401 is answered by one renewal and a retry.
    const revoke = await fetch(`${baseUrl}/revoke`, {
      method: 'POST',
      body: refreshed.accessToken,
    });
    await revoke.arrayBuffer();
    const afterRevoke = await statusOf(api, '/bearer/after-revoke');
    const recovered = await manager.getToken();

    const strategies = {
      apiKeyAuth: apiKeyAuth(input.apiKey),
      basicAuth: basicAuth(input.basic.username, input.basic.password),
      keyPairAuth: keyPairAuth(input.keyPair),
      signedKeyAuth: signedKeyAuth({
        publicKey: input.signedKey.publicKey,
        privateKey: input.signedKey.privateKeyPem,
        // A browser may not set `Date`: the bed then verifies the header named here.
        ...(input.signedKey.dateHeader === undefined
          ? {}
          : { dateHeader: input.signedKey.dateHeader }),
      }),
    };
    const paths = {
      apiKeyAuth: '/api-key/items',
      basicAuth: '/basic/items',
      keyPairAuth: '/key-pair/items',
      signedKeyAuth: '/signed-key/items?q=a%20b',
    };
    const schemes = {};
    for (const [name, auth] of Object.entries(strategies)) {
      const client = createAuthFetch({ auth, baseUrl });
      schemes[name] = {
        get: await statusOf(client, paths[name]),
        post: await statusOf(client, paths[name], { method: 'POST', body: '{"amount":10}' }),
      };
    }
    return {
      runtime: runtimeName(),
      burst,
      forceRefresh: {
        newToken: refreshed.accessToken !== first.accessToken,
        status: afterRefresh,
      },
      revoked: {
        revokeStatus: revoke.status,
        status: afterRevoke,
        newToken: recovered.accessToken !== refreshed.accessToken,
      },
      schemes,
      events,
    };
  } finally {
    await manager.close();
  }
}

/** Which runtime this is, from what only that runtime defines. */
export function runtimeName() {
  if (globalThis.Deno) return `Deno ${globalThis.Deno.version.deno}`;
  if (globalThis.Bun) return `Bun ${globalThis.Bun.version}`;
  if (globalThis.navigator?.userAgent === 'Cloudflare-Workers') return 'workerd';
  if (globalThis.document) return globalThis.navigator.userAgent;
  return `Node ${globalThis.process.versions.node}`;
}
