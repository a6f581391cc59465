import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { OAuthError, TokenEndpointError } from './errors.js';
import { apiKeyAuth } from './strategies/api-key-auth.js';
import { basicAuth } from './strategies/basic-auth.js';
import { bearerAuth } from './strategies/bearer-auth.js';
import { tokenAuth } from './strategies/token-auth.js';
import { testClock } from './testing/scripted-provider.js';
import { TokenManager } from './token-manager.js';
import type { TokenManagerEvent } from './token-manager-events.js';
import type { TokenProvider } from './token-provider.js';
import { TokenSet } from './token-set.js';

const SECRETS = [
  'sEcReT-access-1',
  'sEcReT-refresh-1',
  'sEcReT-access-2',
  'sEcReT-id-token',
  'sEcReT-client',
];

/** Every way a value can end up in a log. */
function renderings(value: unknown): string[] {
  return [
    String(value),
    JSON.stringify(value) ?? '',
    inspect(value, { depth: 10, showHidden: false }),
    inspect({ nested: { value } }, { depth: 10 }),
  ];
}

function expectNoSecret(value: unknown): void {
  for (const output of renderings(value))
    for (const secret of SECRETS) expect(output).not.toContain(secret);
}

describe('no secret in String, JSON.stringify, util.inspect, errors or events', () => {
  it('holds across a whole manager lifecycle: fetch, refresh, failures, session end', async () => {
    const clock = testClock(0);
    let step = 0;
    const provider: TokenProvider & { clientSecret: string } = {
      cacheKey: 'secret-test',
      canReauthenticate: false,
      clientSecret: SECRETS[4]!,
      async fetchToken() {
        return new TokenSet({
          accessToken: SECRETS[0]!,
          refreshToken: SECRETS[1],
          idToken: SECRETS[3],
          expiresAt: clock.now() + 60_000,
          issuedAt: clock.now(),
        });
      },
      async refreshToken() {
        step += 1;
        if (step === 1)
          return new TokenSet({
            accessToken: SECRETS[2]!,
            expiresAt: clock.now() + 60_000,
            issuedAt: clock.now(),
          });
        if (step === 2)
          throw new TokenEndpointError('token endpoint returned HTTP 503', {
            status: 503,
            retryable: true,
          });
        throw new OAuthError({ error: 'invalid_grant', status: 400 });
      },
      describe: () => ({ type: 'test', clientSecret: 'set' }),
      toJSON: () => ({ type: 'test' }),
      [Symbol.for('nodejs.util.inspect.custom')]: () => 'test provider',
    } as never;
    const events: TokenManagerEvent[] = [];
    const manager = new TokenManager({
      provider,
      now: clock.now,
      refreshAheadMs: 0,
      retry: { maxAttempts: 1 },
      onEvent: (e) => events.push(e),
    });
    const errors: unknown[] = [];

    const first = await manager.getToken();
    expectNoSecret(first);
    expectNoSecret(manager);
    clock.advance(60_000);
    expectNoSecret(await manager.getToken());
    clock.advance(60_000);
    errors.push(await manager.getToken().catch((e: unknown) => e));
    errors.push(await manager.getToken().catch((e: unknown) => e));

    expect(errors.map((e) => (e as Error).name)).toEqual([
      'AuthenticationError',
      'SessionExpiredError',
    ]);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'token-fetched',
        'token-refreshed',
        'refresh-failed',
        'session-expired',
      ]),
    );
    for (const error of errors) {
      expectNoSecret(error);
      expectNoSecret((error as Error).message);
      expectNoSecret((error as Error).stack);
    }
    for (const event of events) expectNoSecret(event);
    expectNoSecret(manager.describe());
    for (const strategy of [
      tokenAuth(manager),
      bearerAuth(SECRETS[0]!),
      apiKeyAuth(SECRETS[4]!),
      basicAuth('user', SECRETS[4]!),
    ]) {
      expectNoSecret(strategy);
    }
  });
});
