/**
 * One process of the multi-tenant fleet scenario: builds a `TokenManager` per tenant key
 * (client credentials of `tenant-<i>`) over one shared `RedisTokenStore`, from the
 * settings in `process.argv[2]` (JSON), tells the parent it is ready, then on `cold`
 * gets every key's token at once, on `steady` polls every key for a while, counting
 * the calls that found no token at hand, and on `close` closes its managers and Redis.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { TokenManager, type TokenManagerEvent } from '@auth/core';
import { clientCredentials } from '@auth/oauth';
import { RedisTokenStore } from '@auth/store-redis';
import { Redis } from 'ioredis';
import { tenantClient } from './tenants.js';

/** What the parent passes to a worker. */
export interface TenantWorkerSetup {
  tokenUrl: string;
  redisUrl: string;
  /** Tenant keys: client ids `tenant-0` … `tenant-<keys - 1>`. */
  keys: number;
  expirySkewMs: number;
  refreshAheadMs: number;
  /** Every key is asked for its token once every this many ms in the steady phase. */
  pollMs: number;
  /** How long the steady phase lasts, in ms. */
  steadyMs: number;
}

/** What the parent tells a worker. */
export type TenantWorkerCommand = 'cold' | 'steady' | 'close';

/** What a worker tells the parent. */
export type TenantWorkerMessage =
  | { type: 'ready' }
  | { type: 'closed' }
  | {
      type: 'cold-done';
      failures: number;
      firstFailure?: string;
      /** `store-error` events by operation, and lock waits that gave up, in this phase. */
      storeTrouble: Record<string, number>;
    }
  | {
      type: 'steady-done';
      storeTrouble: Record<string, number>;
      calls: number;
      /** Calls that found no token at hand and waited for the manager to get one. */
      waited: number;
      failures: number;
      firstFailure?: string;
    };

await serve(JSON.parse(process.argv[2] ?? '{}') as TenantWorkerSetup);

async function serve(setup: TenantWorkerSetup): Promise<void> {
  // The parent may already have gone (a deadline): nothing left to tell it then.
  const send = (message: TenantWorkerMessage) => process.connected && process.send?.(message);
  const redis = new Redis(setup.redisUrl);
  // Faults reach the managers through the store (store-error events); ioredis's own
  // 'error' events would only print warnings, e.g. when the parent stops Redis first.
  redis.on('error', () => {});
  const store = new RedisTokenStore({ redis });
  const managers = Array.from(
    { length: setup.keys },
    (_, index) =>
      new TokenManager({
        provider: clientCredentials({ tokenUrl: setup.tokenUrl, ...tenantClient(index) }),
        store,
        expirySkewMs: setup.expirySkewMs,
        refreshAheadMs: setup.refreshAheadMs,
        onEvent: countStoreTrouble,
      }),
  );
  const storeTrouble: Record<string, number> = {};
  function countStoreTrouble(event: TokenManagerEvent) {
    const what =
      event.type === 'store-error'
        ? `store-error ${event.operation}`
        : event.type === 'lock-waited' && !event.adopted
          ? 'lock wait without a result'
          : undefined;
    if (what) storeTrouble[what] = (storeTrouble[what] ?? 0) + 1;
  }
  const takeStoreTrouble = () => {
    const taken = { ...storeTrouble };
    for (const what of Object.keys(storeTrouble)) delete storeTrouble[what];
    return taken;
  };
  let failures = 0;
  let firstFailure: string | undefined;
  const get = (manager: TokenManager) =>
    manager.getToken().then(
      () => {},
      (error: unknown) => {
        failures++;
        firstFailure ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      },
    );

  process.on('message', async (command: TenantWorkerCommand) => {
    if (command === 'close') {
      await Promise.all(managers.map((manager) => manager.close()));
      await store.close();
      redis.disconnect();
      send({ type: 'closed' });
      process.disconnect();
      return;
    }
    if (command === 'cold') {
      await Promise.all(managers.map(get));
      send({ type: 'cold-done', failures, firstFailure, storeTrouble: takeStoreTrouble() });
      return;
    }
    failures = 0;
    firstFailure = undefined;
    let calls = 0;
    let waited = 0;
    const pending: Promise<void>[] = [];
    const endsAt = performance.now() + setup.steadyMs;
    while (performance.now() < endsAt) {
      const roundStarted = performance.now();
      for (const manager of managers) {
        calls++;
        if (manager.peekToken()) continue;
        waited++;
        pending.push(get(manager));
      }
      await sleep(Math.max(0, setup.pollMs - (performance.now() - roundStarted)));
    }
    await Promise.all(pending);
    send({
      type: 'steady-done',
      calls,
      waited,
      failures,
      firstFailure,
      storeTrouble: takeStoreTrouble(),
    });
  });
  send({ type: 'ready' });
}
