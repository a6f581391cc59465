import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { TokenSet } from '@auth/core';
import { startTokenServer, type TokenServer } from '@auth/testing/http';
import { type NutcrackerStats, startNutcracker, type TestNutcracker } from '@auth/testing/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisTokenStore } from '../../src/index.js';
import {
  DELETE_AND_ANNOUNCE,
  RELEASE_LOCK,
  SET_AND_ANNOUNCE,
} from '../../src/internal/lua-scripts.js';
import { Fleet } from './fleet.js';
import { describeFleetContract } from './fleet-contract.js';

// RedisTokenStore behind twemproxy (Debian's `nutcracker`), which shards keys over two
// Redis servers and has no pub/sub: SUBSCRIBE is refused, so waiters cannot be woken and
// the manager falls back to polling the store. The workers' clocks are moved forward
// instead of waiting for a real expiry.
const LIFETIME_S = 3600;
const REFRESH_AHEAD_MS = 600_000;
const WORKERS = 4;
const CALLS_EACH = 50;
const WAIT_WORKER = fileURLToPath(new URL('./proxy-wait-worker.mjs', import.meta.url));
const run = promisify(execFile);

let proxy: TestNutcracker;
let tokenServer: TokenServer;
let fleet: Fleet;
const clients: Redis[] = [];

beforeAll(async () => {
  // Fails with "install nutcracker (Debian)" when the binary is missing.
  proxy = await startNutcracker({ backends: 2 });
  tokenServer = await startTokenServer({ lifetimeSeconds: LIFETIME_S, issueRefreshTokens: false });
  fleet = await Fleet.start({
    size: WORKERS,
    proxyOptions: { ...proxy.clientOptions },
    tokenUrl: tokenServer.tokenUrl,
    keyPrefix: `proxy-fleet-${randomUUID()}:`,
    refreshAheadMs: REFRESH_AHEAD_MS,
  });
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await fleet?.stop();
  await tokenServer?.close();
  await proxy?.close();
});

/** A client of the proxy with the options twemproxy needs, connected. */
async function connect(): Promise<Redis> {
  const client = new Redis({ ...proxy.clientOptions });
  client.on('error', () => {});
  clients.push(client);
  if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
  return client;
}

/** A client of one backend, bypassing the proxy, to see where keys went. */
function direct(backend: number): Redis {
  const client = new Redis(proxy.backends[backend]!.url);
  client.on('error', () => {});
  clients.push(client);
  return client;
}

/**
 * Prints how long the callers of the process that fetched the token and of the processes
 * that waited for it took (the measured cost of polling instead of pub/sub; not asserted).
 */
function report(phase: string, bursts: { durationsMs: number[] }[]): void {
  const slowest = bursts.map((burst) => Math.round(Math.max(...burst.durationsMs)));
  const failedWaits = fleet.workers.map(
    (worker) =>
      worker.log.events.filter(
        (event) => event.type === 'store-error' && event.operation === 'wait',
      ).length,
  );
  console.info(
    `twemproxy fleet, ${phase}: slowest caller per worker ${slowest.join(', ')} ms; failed waits so far ${failedWaits.join(', ')}`,
  );
}

/** Store faults other than a failed wait (which only means: poll instead). */
function storeErrorsBesidesWait(): { operation?: string; errorName?: string }[] {
  return fleet.workers.flatMap((worker) =>
    worker.log.events.filter((event) => event.type === 'store-error' && event.operation !== 'wait'),
  );
}

/**
 * Sends one raw command to the proxy and resolves with the first reply line, or with
 * `'closed'` when the proxy closes the connection without answering.
 */
function rawCommand(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let reply = '';
    socket.setTimeout(5_000, () => socket.destroy(new Error(`no answer to ${args[0]} in 5 s`)));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.slice(0, reply.indexOf('\r\n')));
      }
    });
    socket.once('close', () => resolve(reply === '' ? 'closed' : reply));
    socket.once('error', reject);
    socket.connect(proxy.port, proxy.host, () => {
      socket.write(
        `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`,
      );
    });
  });
}

describeFleetContract({
  setup: 'behind twemproxy (no pub/sub)',
  fleet: () => fleet,
  tokenServer: () => tokenServer,
  workers: WORKERS,
  callsEach: CALLS_EACH,
  lifetimeMs: LIFETIME_S * 1000,
  unexpectedStoreErrors: storeErrorsBesidesWait,
  report,
});

describe('RedisTokenStore through twemproxy sharding over two Redis servers', () => {
  it('runs each of its Lua scripts with exactly one key, the key twemproxy routes EVALSHA/EVAL by', () => {
    for (const script of [SET_AND_ANNOUNCE, DELETE_AND_ANNOUNCE, RELEASE_LOCK]) {
      expect(script.numberOfKeys).toBe(1);
    }
  });

  it('routes EVAL by its first key without checking the others (why each script takes one key)', async () => {
    const client = await connect();
    const backends = [direct(0), direct(1)];
    const home = async (key: string): Promise<number> => {
      await client.set(key, 'plain');
      return (await Promise.all(backends.map((backend) => backend.exists(key)))).indexOf(1);
    };
    const first = `route-${randomUUID()}`;
    let second = '';
    for (let index = 0; second === '' && index < 100; index++) {
      const candidate = `route-${randomUUID()}`;
      if ((await home(candidate)) !== (await home(first))) second = candidate;
    }
    expect(second).not.toBe('');
    await client.eval("return redis.call('SET', KEYS[2], 'from-script')", 2, first, second);
    // The write landed on the first key's backend, where reads of `second` never go.
    expect(await client.get(second)).toBe('plain');
    expect(await backends[await home(first)]!.get(second)).toBe('from-script');
  });

  it('stores, reads, locks, releases and deletes tokens whose keys live on either backend', async () => {
    const store = new RedisTokenStore({ redis: await connect(), keyPrefix: `p-${randomUUID()}:` });
    const backends = [direct(0), direct(1)];
    const backendsUsed = new Set<number>();
    for (let index = 0; index < 24; index++) {
      const key = `svc-${index}:{odd}%key`;
      const names = store.keysFor(key);
      const tokens = new TokenSet({
        accessToken: `at-${randomUUID()}`,
        expiresAt: Date.now() + 60_000,
      });
      await store.set(key, tokens);
      expect((await store.get(key))?.accessToken).toBe(tokens.accessToken);
      const lock = await store.acquireLock(key, 30_000);
      expect(lock).toBeDefined();
      expect(await store.acquireLock(key, 30_000)).toBeUndefined();
      // The tokens key and the lock key share the hash tag, so they sit on one backend.
      const holders = await Promise.all(
        backends.map(async (backend) => backend.exists(names.tokens, names.lock)),
      );
      expect(holders.toSorted()).toEqual([0, 2]);
      backendsUsed.add(holders.indexOf(2));
      await lock?.release();
      expect(await backends[holders.indexOf(2)]!.exists(names.lock)).toBe(0);
      const relock = await store.acquireLock(key, 30_000);
      expect(relock).toBeDefined();
      await relock?.release();
      await store.delete(key);
      expect(await store.get(key)).toBeUndefined();
    }
    expect(backendsUsed).toEqual(new Set([0, 1]));
    // EVALSHA answered NOSCRIPT on each backend once, and the EVAL fallback cached the scripts there.
    for (const backend of backends) {
      const sha1s = [SET_AND_ANNOUNCE, DELETE_AND_ANNOUNCE, RELEASE_LOCK].map(
        (script) => script.sha1,
      );
      expect(await backend.script('EXISTS', ...sha1s)).toEqual([1, 1, 1]);
    }
    await store.close();
  });

  it('frees a lock only for its owner through the proxy (compare-and-delete script)', async () => {
    const redis = await connect();
    const store = new RedisTokenStore({ redis, keyPrefix: `p-${randomUUID()}:` });
    const lock = await store.acquireLock('svc', 30_000);
    expect(lock).toBeDefined();
    // The lock lapses and another holder takes it: the first holder's release must not free it.
    await redis.del(store.keysFor('svc').lock);
    const other = await store.acquireLock('svc', 30_000);
    expect(other).toBeDefined();
    await lock?.release();
    expect(await store.acquireLock('svc', 30_000)).toBeUndefined();
    await other?.release();
    expect(await store.acquireLock('svc', 30_000)).toBeDefined();
    await store.close();
  });

  it('needs a client without the INFO ready check and CLIENT SETINFO: twemproxy closes the connection on both', async () => {
    expect(await rawCommand(['INFO'])).toBe('closed');
    expect(await rawCommand(['CLIENT', 'SETINFO', 'LIB-NAME', 'ioredis'])).toBe('closed');
    expect(await rawCommand(['PING'])).toBe('+PONG');
    // QUIT is closed without the +OK ioredis waits for: quit() rejects, disconnect() is the way out.
    expect(await rawCommand(['QUIT'])).toBe('closed');
    const defaults = new Redis(proxy.url, { lazyConnect: true });
    defaults.on('error', () => {});
    clients.push(defaults);
    let ready = false;
    defaults.on('ready', () => {
      ready = true;
    });
    let closes = 0;
    const closedTwice = new Promise<void>((resolve) =>
      defaults.on('close', () => {
        if (++closes === 2) resolve();
      }),
    );
    defaults.connect().catch(() => {});
    await closedTwice;
    expect(ready).toBe(false);
    defaults.disconnect();
    expect(await (await connect()).ping()).toBe('PONG');
  });

  it('refuses SUBSCRIBE, PUBLISH and EVAL of zero keys (closes the connection), so waiters cannot be woken', async () => {
    expect(await rawCommand(['SUBSCRIBE', 'auth:{svc}:updates'])).toBe('closed');
    expect(await rawCommand(['PUBLISH', 'auth:{svc}:updates', 'set'])).toBe('closed');
    expect(await rawCommand(['EVAL', 'return 1', '0'])).toBe('closed');
    expect(await rawCommand(['EVAL', 'return 1', '1', 'auth:{svc}:tokens'])).toBe(':1');
  });
});

/**
 * The proxy's counters once everything before this call is counted: nutcracker refreshes
 * its stats every 100 ms, so this reads them until 250 ms have passed.
 */
async function settledStats(): Promise<NutcrackerStats> {
  const from = Date.now();
  let stats = await proxy.stats();
  while (Date.now() - from < 250) stats = await proxy.stats();
  return stats;
}

describe('a process whose waiter found SUBSCRIBE refused by twemproxy', () => {
  let result: { code: number; stdout: string; stderr: string };
  let connectionsOpened: number;

  beforeAll(async () => {
    const before = (await settledStats()).totalConnections;
    const settings = JSON.stringify({
      proxyOptions: proxy.clientOptions,
      keyPrefix: `p-${randomUUID()}:`,
      waitTimeoutMs: 10_000,
    });
    try {
      const { stdout, stderr } = await run(process.execPath, [WAIT_WORKER, settings], {
        timeout: 60_000,
      });
      result = { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      result = {
        code: failed.code ?? -1,
        stdout: failed.stdout ?? '',
        stderr: failed.stderr ?? '',
      };
    }
    connectionsOpened = (await settledStats()).totalConnections - before;
  });

  it('sees its waitForUpdate reject with a TokenStoreError (operation wait), so the manager polls', () => {
    const outcome = JSON.parse(result.stdout.split('\n')[0] ?? '{}');
    expect(outcome).toMatchObject({
      settled: 'rejected',
      name: 'TokenStoreError',
      operation: 'wait',
    });
  });

  it('closes its store cleanly afterwards (exit code 0, no unhandled rejection)', () => {
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('closed');
    expect(result.code).toBe(0);
  });

  it('does not reconnect to the proxy in a loop to retry SUBSCRIBE while it waits (at most 3 connections: client, subscriber, one retry)', () => {
    expect(connectionsOpened).toBeLessThanOrEqual(3);
  });
});
