import { AuthenticationError, type AuthStrategy } from '@auth/core';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuthFetch } from '../../src/index.js';
import { authInterceptor } from '../../src/undici.js';
import { type RecordingServer, startRecordingServer } from './support/recording-server.js';

// A header value may hold visible ASCII, spaces, tabs and Latin-1 letters (RFC 9110 §5.5);
// anything else is the strategy's mistake, reported as AuthenticationError naming the header
// and never the value, before anything is sent, by both adapters.
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

const SECRET = 'sk-live-4242';
const BAD_VALUES: [string, string][] = [
  ['a character beyond Latin-1', `${SECRET}€`],
  ['an emoji', `${SECRET}🔑`],
  ['DEL', `${SECRET}\x7f`],
  ['CR', `${SECRET}\rX-Injected: 1`],
  ['LF', `${SECRET}\nX-Injected: 1`],
  ['NUL', `${SECRET}\x00`],
  ['another control character', `${SECRET}\x1b[0m`],
];

type Send = (auth: AuthStrategy, path: string) => Promise<unknown>;
const adapters: [string, Send][] = [
  [
    'createAuthFetch',
    async (auth, path) => {
      const api = createAuthFetch({ auth, origins: [server.url] });
      return (await api(`${server.url}${path}`)).text();
    },
  ],
  [
    'authInterceptor',
    async (auth, path) => {
      const agent = new Agent();
      agents.push(agent);
      const dispatcher = agent.compose(authInterceptor({ auth, origins: [server.url] }));
      return (await request(`${server.url}${path}`, { dispatcher })).body.text();
    },
  ],
];

describe.each(adapters)('header values a strategy returns (%s)', (_name, send) => {
  it.each(BAD_VALUES)(
    'refuses %s as AuthenticationError naming the header, not the value',
    async (_what, value) => {
      const auth: AuthStrategy = { authenticate: () => ({ 'X-Service-Key': value }) };
      const error = await send(auth, '/bad-value').catch((e: unknown) => e);
      expect(AuthenticationError.isInstance(error)).toBe(true);
      expect((error as AuthenticationError).code).toBe('authentication_failed');
      expect((error as Error).message).toContain('X-Service-Key');
      expect(`${String(error)} ${JSON.stringify(error)}`).not.toContain(SECRET);
      expect(server.requests).toHaveLength(0);
    },
  );

  it('sends visible ASCII, spaces and tabs as they are', async () => {
    const auth: AuthStrategy = { authenticate: () => ({ 'X-Service-Key': 'a b\tc~!' }) };
    await send(auth, '/good-value');
    expect(server.requestsTo('/good-value')[0]!.headers['x-service-key']).toBe('a b\tc~!');
  });
});
