import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freeLoopbackPort,
  killProcess,
  LOOPBACK,
  RedisStartError,
  spawnRedisServer,
} from './redis-process.js';

/**
 * Settings of {@link startRedisServer} and {@link startRedis}.
 *
 * @example
 * ```ts
 * const redis = await startRedisServer({ password: 'pw', startTimeoutMs: 30_000 });
 * ```
 */
export interface RedisServerOptions {
  /** How long to wait for the server to accept connections, in ms. Default 15 000. */
  startTimeoutMs?: number;
  /** Extra `redis-server` arguments, e.g. `['--maxmemory', '10mb']`. Ignored for `REDIS_URL`. */
  args?: readonly string[];
  /** Requires this password (`--requirepass`); `url` then carries it. Ignored for `REDIS_URL`. */
  password?: string;
}

/**
 * A Redis for tests: a throwaway `redis-server` or the one `REDIS_URL` names.
 *
 * @example
 * ```ts
 * const redis: TestRedis = await startRedis();
 * if (!redis.restartable) throw new Error('this test kills Redis: use startRedisServer()');
 * ```
 */
export interface TestRedis {
  /** `redis://host:port`, with the password when one is required (and whatever `REDIS_URL` holds). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Whether {@link TestRedis.stop} and {@link TestRedis.start} work: false for `REDIS_URL`. */
  readonly restartable: boolean;
  /**
   * Kills the server with SIGKILL, as a crash would, and waits for it to exit. Every key
   * is lost (persistence is off).
   *
   * @throws {Error} For `REDIS_URL`: a test that kills Redis must use {@link startRedisServer}.
   */
  stop(): Promise<void>;
  /**
   * Starts the server again on the same port (empty) and waits until it answers PING.
   *
   * @throws {Error} For `REDIS_URL`, as {@link TestRedis.stop}.
   */
  start(): Promise<void>;
  /** Stops the server and removes its folder. A no-op for `REDIS_URL`. */
  close(): Promise<void>;
}

const PORT_ATTEMPTS = 5;

/**
 * Starts a throwaway `redis-server` from PATH on a free loopback port, with persistence
 * off (`--save "" --appendonly no`) in its own temporary folder, and waits until it
 * answers PING. Tests that kill and restart Redis use this one (never `REDIS_URL`).
 *
 * @param options - Start timeout and extra server arguments.
 * @returns The running server; `close()` it after the test.
 * @throws {Error} redis-server is not on PATH (the message says how to get it), or it
 *   did not start in time.
 * @example
 * ```ts
 * const redis = await startRedisServer();
 * const client = new Redis(redis.url);
 * await redis.stop(); // a crash
 * await redis.start(); // back on the same port, empty
 * await redis.close();
 * ```
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<TestRedis> {
  const startTimeoutMs = options.startTimeoutMs ?? 15_000;
  const dir = await mkdtemp(join(tmpdir(), 'auth-redis-'));
  let port = 0;
  let child: ChildProcess | undefined;
  const args = [
    ...(options.password === undefined ? [] : ['--requirepass', options.password]),
    ...(options.args ?? []),
  ];
  const launch = (onPort: number) => spawnRedisServer({ port: onPort, dir, args, startTimeoutMs });
  try {
    for (let attempt = 1; child === undefined; attempt++) {
      port = await freeLoopbackPort();
      try {
        child = await launch(port);
      } catch (error) {
        const retry =
          error instanceof RedisStartError &&
          error.reason === 'address-in-use' &&
          attempt < PORT_ATTEMPTS;
        if (!retry) throw error;
      }
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);
  return {
    url: `redis://${options.password === undefined ? '' : `:${encodeURIComponent(options.password)}@`}${LOOPBACK}:${port}`,
    host: LOOPBACK,
    port,
    restartable: true,
    async stop() {
      if (child) await killProcess(child);
    },
    async start() {
      if (child && child.exitCode === null && child.signalCode === null) return;
      child = await launch(port);
    },
    async close() {
      process.removeListener('exit', killOnExit);
      if (child) await killProcess(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The Redis the tests should use: the one `REDIS_URL` names when it is set (then
 * `stop`/`start` throw, since that server is not ours to kill), else a throwaway
 * `redis-server` as {@link startRedisServer} starts it. Tests sharing a `REDIS_URL` should
 * use their own key prefix.
 *
 * @param options - As {@link startRedisServer}.
 * @param env - Where to read `REDIS_URL`. Default `process.env`.
 * @returns The Redis; `close()` it after the test.
 * @throws {Error} Neither `REDIS_URL` nor `redis-server` on PATH: the message says how to get Redis.
 * @example
 * ```ts
 * const redis = await startRedis();
 * const client = new Redis(redis.url);
 * ```
 */
export async function startRedis(
  options: RedisServerOptions = {},
  env: Record<string, string | undefined> = process.env,
): Promise<TestRedis> {
  const configured = env.REDIS_URL;
  if (!configured) return startRedisServer(options);
  const url = new URL(configured);
  const notOurs = async () => {
    throw new Error(
      'this Redis comes from REDIS_URL and cannot be stopped or restarted by the tests: use startRedisServer() for a test that kills Redis',
    );
  };
  return {
    url: configured,
    host: url.hostname,
    port: Number(url.port || 6379),
    restartable: false,
    stop: notOurs,
    start: notOurs,
    close: async () => {},
  };
}
