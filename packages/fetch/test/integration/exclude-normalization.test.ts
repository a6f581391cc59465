import { bearerAuth } from '@auth/core';
import { Agent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AuthScopeOptions, createAuthFetch } from '../../src/index.js';
import { authInterceptor } from '../../src/undici.js';
import { type RecordingServer, startRecordingServer } from './support/recording-server.js';

// `exclude` is matched against the RFC 3986 normal form of the path, so every spelling of an
// excluded path goes without credentials, through both adapters. The server records each
// request target as it arrived and whether it carried the bearer token.
let server: RecordingServer;
const agents: Agent[] = [];
beforeAll(async () => {
  server = await startRecordingServer();
});
afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.close()));
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
});

const auth = bearerAuth('normal-form-token');

/** Sends `target` (path and query, sent as written) and says whether it carried credentials. */
type Sender = (
  options: Omit<AuthScopeOptions, 'auth' | 'origins'>,
) => (target: string) => Promise<boolean>;

const carried = (target: string): boolean => {
  const seen = server.requestsAt(target);
  server.requests.length = 0; // each send is checked on its own
  if (seen.length !== 1) throw new Error(`expected one request to ${target}, saw ${seen.length}`);
  return seen[0]!.headers.authorization === 'Bearer normal-form-token';
};

const adapters: [string, Sender][] = [
  [
    'createAuthFetch',
    (options) => {
      const api = createAuthFetch({ auth, origins: [server.url], ...options });
      return async (target) => {
        const url = new URL(`${server.url}${target}`);
        await (await api(url)).text();
        // fetch's URL parser removes dot segments itself; the server sees the parsed target.
        return carried(`${url.pathname}${url.search}`);
      };
    },
  ],
  [
    'authInterceptor',
    (options) => {
      const agent = new Agent();
      agents.push(agent);
      const dispatcher = agent.compose(
        authInterceptor({ auth, origins: [server.url], ...options }),
      );
      return async (target) => {
        const response = await dispatcher.request({
          origin: server.url,
          path: target,
          method: 'GET',
        });
        await response.body.text();
        return carried(target);
      };
    },
  ],
];

describe.each(adapters)('exclude after normalisation (%s)', (_name, sender) => {
  it('sends every spelling of an excluded path without credentials', async () => {
    const send = sender({ exclude: ['/public/*', '/health'] });
    for (const target of [
      '/public/x',
      '//public/x',
      '/public/./x',
      '/%70ublic/x',
      '/private/%2e%2e/public/x',
      '/private/%2E%2E/public/x',
      '/%68ealth?verbose=1',
      '///health',
    ]) {
      expect(await send(target), target).toBe(false);
    }
  });

  it('still sends credentials to paths that only look excluded', async () => {
    const send = sender({ exclude: ['/public/*', '/health'] });
    for (const target of ['/public/%2e%2e/private', '/publicity', '/health/deep', '/x/health']) {
      expect(await send(target), target).toBe(true);
    }
  });

  it('treats an encoded slash as part of a segment: /public%2Fx is not under /public/', async () => {
    const send = sender({ exclude: ['/public/*', '/files/a%2fb'] });
    expect(await send('/public%2Fx')).toBe(true);
    expect(await send('/files/a%2Fb')).toBe(false);
    expect(await send('/files/a/b')).toBe(true);
  });

  it('matches case-sensitively by default', async () => {
    const send = sender({ exclude: ['/public/*'] });
    expect(await send('/PUBLIC/x')).toBe(true);
    expect(await send('/Public/y')).toBe(true);
  });

  it('matches case-insensitively with excludeCaseInsensitive', async () => {
    const send = sender({ exclude: ['/public/*'], excludeCaseInsensitive: true });
    expect(await send('/PUBLIC/x')).toBe(false);
    expect(await send('//Public/./y')).toBe(false);
    expect(await send('/%50UBLIC/z')).toBe(false);
    expect(await send('/PRIVATE')).toBe(true);
  });
});

describe('excludeCaseInsensitive', () => {
  it('must be a boolean', () => {
    expect(() =>
      createAuthFetch({ auth, origins: [server.url], excludeCaseInsensitive: 'yes' as never }),
    ).toThrow(TypeError);
  });
});
