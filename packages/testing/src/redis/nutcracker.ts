import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freeLoopbackPort, killProcess, LOOPBACK, sendCommand } from './redis-process.js';
import { startRedisServer, type TestRedis } from './redis-server.js';

const HOW_TO_GET_NUTCRACKER =
  'nutcracker (twemproxy) was not found: install nutcracker (Debian: `apt-get install -y nutcracker`)';

/** Where Debian puts the binary; root has /usr/sbin on PATH, other users often do not. */
const DEBIAN_BINARY = '/usr/sbin/nutcracker';
const PORT_ATTEMPTS = 5;
const READY_POLL_MS = 20;

/**
 * Settings of {@link startNutcracker}.
 *
 * @example
 * ```ts
 * const proxy = await startNutcracker({ backends: 2, startTimeoutMs: 30_000 });
 * ```
 */
export interface NutcrackerOptions {
  /**
   * How many throwaway `redis-server`s the proxy shards keys over (ketama, hash tag `{}`,
   * so keys sharing a `{tag}` land on one backend). Default 1.
   */
  backends?: number;
  /** How long to wait for the backends and the proxy to answer PING, in ms. Default 15 000. */
  startTimeoutMs?: number;
  /**
   * The twemproxy binary: a path, or a name looked up on `PATH`. Default `nutcracker` from
   * `PATH`, else `/usr/sbin/nutcracker` (where Debian installs it).
   */
  command?: string;
}

/**
 * The ioredis options a client behind twemproxy needs: twemproxy closes the connection on
 * `INFO` (ioredis's ready check) and on `CLIENT SETINFO` (sent by ioredis 5.4+ on connect),
 * so a client with the defaults never becomes ready.
 */
export interface TwemproxyClientOptions {
  readonly host: string;
  readonly port: number;
  /** `false`: no `INFO` ready check. */
  readonly enableReadyCheck: false;
  /** `true`: no `CLIENT SETINFO` on connect. */
  readonly disableClientInfo: true;
}

/**
 * The proxy's counters, as nutcracker's stats port reports them (a subset).
 *
 * @example
 * ```ts
 * const { totalConnections } = await proxy.stats();
 * ```
 */
export interface NutcrackerStats {
  /** Client connections accepted since start (every reconnect counts). */
  readonly totalConnections: number;
  /** Client connections open now. */
  readonly currentConnections: number;
  /** Requests forwarded to each backend, in the order of {@link TestNutcracker.backends}. */
  readonly requestsPerBackend: readonly number[];
}

/**
 * A throwaway twemproxy (`nutcracker`) on loopback in front of throwaway Redis servers: a
 * Redis proxy without pub/sub, `INFO`, `CLIENT`, `SCRIPT`, `SELECT`, and without `EVAL`
 * of zero keys (it closes the client's connection on each of them).
 *
 * @example
 * ```ts
 * const proxy: TestNutcracker = await startNutcracker();
 * const redis = new Redis({ ...proxy.clientOptions });
 * ```
 */
export interface TestNutcracker {
  /** `redis://127.0.0.1:<port>` of the proxy. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** What an ioredis client needs to connect through the proxy: spread into `new Redis()`. */
  readonly clientOptions: TwemproxyClientOptions;
  /** The Redis servers behind the proxy (connect to them directly to look at where keys went). */
  readonly backends: readonly TestRedis[];
  /** Reads the proxy's counters from its stats port (refreshed every 100 ms). */
  stats(): Promise<NutcrackerStats>;
  /** The proxy's log so far (at verbosity 6 it names each command it refused). */
  log(): Promise<string>;
  /** Stops the proxy and its backends and removes their folders. */
  close(): Promise<void>;
}

/**
 * Starts twemproxy (`nutcracker`) on a free loopback port with a generated YAML config
 * pointing at `backends` throwaway Redis servers from {@link startRedisServer}, and waits
 * until a PING through it is answered. The proxy's stats port is another free loopback
 * port; its log goes to a file in its own temporary folder.
 *
 * @param options - Backend count and start timeout.
 * @returns The running proxy; `close()` it after the test.
 * @throws {Error} nutcracker is not installed (the message says "install nutcracker
 *   (Debian)", checked before anything starts), redis-server is missing, or the proxy did
 *   not answer in time (the message holds its log).
 * @example
 * ```ts
 * const proxy = await startNutcracker();
 * const redis = new Redis({ ...proxy.clientOptions });
 * await redis.set('k', 'v');
 * redis.disconnect();
 * await proxy.close();
 * ```
 */
export async function startNutcracker(options: NutcrackerOptions = {}): Promise<TestNutcracker> {
  const startTimeoutMs = options.startTimeoutMs ?? 15_000;
  const deadline = Date.now() + startTimeoutMs;
  const dir = await mkdtemp(join(tmpdir(), 'auth-nutcracker-'));
  const backends: TestRedis[] = [];
  let child: ChildProcess | undefined;
  const killOnExit = () => child?.kill('SIGKILL');
  const close = async () => {
    process.removeListener('exit', killOnExit);
    if (child) await killProcess(child);
    await Promise.all(backends.map((backend) => backend.close()));
    await rm(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  try {
    const binary = await locate(options.command);
    for (let index = 0; index < (options.backends ?? 1); index++) {
      backends.push(await startRedisServer({ startTimeoutMs: Math.max(1, deadline - Date.now()) }));
    }
    const logFile = join(dir, 'nutcracker.log');
    for (let attempt = 1; ; attempt++) {
      const port = await freeLoopbackPort();
      const statsPort = await freeLoopbackPort();
      const configFile = join(dir, 'nutcracker.yml');
      await writeFile(configFile, config(port, backends));
      try {
        child = await spawnNutcracker(binary, configFile, statsPort, logFile, port, deadline);
      } catch (error) {
        const inUse = error instanceof Error && /address already in use/i.test(error.message);
        if (!inUse || attempt >= PORT_ATTEMPTS) throw error;
        continue;
      }
      return {
        url: `redis://${LOOPBACK}:${port}`,
        host: LOOPBACK,
        port,
        clientOptions: {
          host: LOOPBACK,
          port,
          enableReadyCheck: false,
          disableClientInfo: true,
        },
        backends,
        stats: () => readStats(statsPort, backends.length),
        log: () => readFile(logFile, 'utf8').catch(() => ''),
        close,
      };
    }
  } catch (error) {
    await close();
    throw error;
  }
}

/** The YAML config: one pool, ketama (murmur) over the backends, hash tag `{}`, no host ejection. */
function config(port: number, backends: readonly TestRedis[]): string {
  return [
    'auth:',
    `  listen: ${LOOPBACK}:${port}`,
    '  hash: murmur',
    '  hash_tag: "{}"',
    '  distribution: ketama',
    '  redis: true',
    '  auto_eject_hosts: false',
    '  timeout: 5000',
    '  servers:',
    ...backends.map((backend, index) => `    - ${backend.host}:${backend.port}:1 backend${index}`),
    '',
  ].join('\n');
}

/** The first executable among `command` (a path, or a name on PATH) and its fallbacks. */
async function locate(command: string | undefined): Promise<string> {
  const name = command ?? 'nutcracker';
  const candidates = name.includes('/')
    ? [name]
    : (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, name));
  if (command === undefined) candidates.push(DEBIAN_BINARY);
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not there: try the next one.
    }
  }
  throw new Error(`${HOW_TO_GET_NUTCRACKER} (looked for ${candidates.join(', ')})`);
}

async function spawnNutcracker(
  binary: string,
  configFile: string,
  statsPort: number,
  logFile: string,
  port: number,
  deadline: number,
): Promise<ChildProcess> {
  const args = [
    '-c',
    configFile,
    '-s',
    String(statsPort),
    '-a',
    LOOPBACK,
    '-i',
    '100',
    '-v',
    '6',
    '-o',
    logFile,
  ];
  const child = await launch(binary, args);
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = String(signal ?? code);
  });
  for (;;) {
    if (exited !== undefined) {
      const log = await readFile(logFile, 'utf8').catch(() => '');
      throw new Error(`nutcracker on port ${port} exited (${exited}) before it was ready:\n${log}`);
    }
    const reply = await sendCommand(port, ['PING'], 1_000).catch(() => '');
    if (reply === '+PONG') return child;
    if (Date.now() >= deadline) {
      await killProcess(child);
      const log = await readFile(logFile, 'utf8').catch(() => '');
      throw new Error(`nutcracker on port ${port} did not answer PING in time:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
}

/** Spawns `command`, resolving once it runs and rejecting with the spawn error. */
function launch(command: string, args: readonly string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore' });
    child.once('spawn', () => resolve(child));
    child.once('error', reject);
  });
}

/** Reads nutcracker's stats JSON (the port writes it and closes). */
async function readStats(statsPort: number, backendCount: number): Promise<NutcrackerStats> {
  const text = await new Promise<string>((resolve, reject) => {
    const socket = new Socket();
    let body = '';
    socket.setTimeout(5_000, () => socket.destroy(new Error('nutcracker stats: no answer')));
    socket.on('data', (chunk) => {
      body += chunk.toString();
    });
    socket.once('end', () => resolve(body));
    socket.once('error', reject);
    socket.connect(statsPort, LOOPBACK);
  });
  const stats = JSON.parse(text) as Record<string, unknown>;
  const pool = stats.auth as Record<string, Record<string, number>>;
  return {
    totalConnections: stats.total_connections as number,
    currentConnections: stats.curr_connections as number,
    requestsPerBackend: Array.from(
      { length: backendCount },
      (_, index) => pool[`backend${index}`]?.requests ?? 0,
    ),
  };
}
