import { TokenManager } from '@auth/core';
import { startTokenServer, type TokenServer, testClientProvider } from '@auth/testing/http';
import { pino } from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { pinoTokenEvents } from '../src/pino-events.js';

let tokens: TokenServer;
let output: string[];
let logger: pino.Logger;
beforeEach(async () => {
  tokens = await startTokenServer();
  output = [];
  logger = pino({ base: undefined }, { write: (line: string) => void output.push(line) });
});
afterEach(() => tokens.close());

const managerFor = (cacheKey: string) =>
  new TokenManager({
    provider: testClientProvider(tokens.tokenUrl, { cacheKey }),
    retry: { maxAttempts: 1 },
    onEvent: pinoTokenEvents(logger),
  });

it('logs a fetched token at info with its fingerprint, never the token', async () => {
  const manager = managerFor('orders-api');
  const token = await manager.getToken();
  await manager.close();
  const lines = output.map((line) => JSON.parse(line));
  expect(lines).toEqual([
    expect.objectContaining({
      level: 30,
      msg: 'token manager: token-fetched',
      event: 'token-fetched',
      key: 'orders-api',
      fingerprint: token.fingerprint,
      expiresAt: token.expiresAt,
      background: false,
    }),
  ]);
  expect(output.join('')).not.toContain(token.accessToken);
});

it('logs a failed token request that callers see at error, with the error and no secret', async () => {
  tokens.failNext({ kind: 'oauth-error', error: 'invalid_client', status: 401 });
  const manager = managerFor('billing-api');
  await expect(manager.getToken()).rejects.toThrow();
  await manager.close();
  const [line] = output.map((text) => JSON.parse(text));
  expect(line).toMatchObject({
    level: 50,
    event: 'refresh-failed',
    key: 'billing-api',
    attempt: 1,
    willRetry: false,
    err: { message: expect.stringContaining('invalid_client') },
  });
  expect(output.join('')).not.toContain('test-secret');
});
