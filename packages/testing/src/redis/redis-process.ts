import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, Socket } from 'node:net';

/** The loopback address every throwaway server binds to. */
export const LOOPBACK = '127.0.0.1';

const HOW_TO_GET_REDIS =
  'redis-server was not found on PATH: install it (`apt-get install -y redis-server`, `brew install redis`) or set REDIS_URL to a Redis the tests may use';

/**
 * Asks the kernel for a free TCP port on loopback. Another process may take it before
 * redis-server binds it; {@link spawnRedisServer} reports that as `address-in-use` so
 * callers can try another port.
 */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port was assigned');
  return address.port;
}

/** Why {@link spawnRedisServer} failed: `address-in-use` can be retried on another port. */
export class RedisStartError extends Error {
  constructor(
    message: string,
    readonly reason: 'not-installed' | 'address-in-use' | 'exited' | 'timeout',
  ) {
    super(message);
    this.name = 'RedisStartError';
  }
}

/**
 * Spawns `redis-server` with `args` (plus `--port`, `--bind 127.0.0.1`, persistence off,
 * logs to stdout) and resolves once it logs that it accepts connections and answers PING.
 *
 * @throws {RedisStartError} Not installed, port taken, early exit or no answer in time.
 */
export async function spawnRedisServer(options: {
  port: number;
  dir: string;
  args?: readonly string[];
  startTimeoutMs: number;
}): Promise<ChildProcess> {
  const { port, dir, startTimeoutMs } = options;
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      LOOPBACK,
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--logfile',
      '',
      ...(options.args ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new RedisStartError(
              `redis-server on port ${port} did not become ready within ${startTimeoutMs} ms:\n${output}`,
              'timeout',
            ),
          ),
        startTimeoutMs,
      );
      const onOutput = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onOutput);
      child.stderr?.on('data', onOutput);
      child.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(
          error.code === 'ENOENT'
            ? new RedisStartError(HOW_TO_GET_REDIS, 'not-installed')
            : new RedisStartError(`could not start redis-server: ${error.message}`, 'exited'),
        );
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        const inUse = /address already in use/i.test(output);
        reject(
          new RedisStartError(
            `redis-server on port ${port} exited (${signal ?? code}) before it was ready:\n${output}`,
            inUse ? 'address-in-use' : 'exited',
          ),
        );
      });
    });
    await ping(port, startTimeoutMs);
  } catch (error) {
    await killProcess(child);
    throw error;
  }
  child.stdout?.resume();
  child.stderr?.resume();
  child.removeAllListeners('exit');
  return child;
}

/** Kills `child` with SIGKILL (a crash, as far as clients can tell) and waits for it to exit. */
export async function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}

/**
 * Sends one raw RESP command to a loopback Redis and resolves with its first reply line.
 *
 * @throws {Error} No connection or no reply within `timeoutMs`.
 */
export function sendCommand(
  port: number,
  args: readonly string[],
  timeoutMs = 5_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let reply = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`Redis on port ${port} did not answer ${args[0]} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      const reading = parseReply(reply);
      if (reading === undefined) return;
      clearTimeout(timer);
      socket.end();
      resolve(reading);
    });
    socket.connect(port, LOOPBACK, () => {
      const resp = `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`;
      socket.write(resp);
    });
  });
}

/** A complete simple or bulk reply as text, or `undefined` while more bytes are due. */
function parseReply(reply: string): string | undefined {
  const lineEnd = reply.indexOf('\r\n');
  if (lineEnd < 0) return undefined;
  const head = reply.slice(0, lineEnd);
  if (head[0] !== '$') return head;
  const length = Number(head.slice(1));
  if (length < 0) return '';
  const body = reply.slice(lineEnd + 2);
  return Buffer.byteLength(body) >= length + 2 ? body.slice(0, length) : undefined;
}

async function ping(port: number, timeoutMs: number): Promise<void> {
  const reply = await sendCommand(port, ['PING'], timeoutMs);
  // A server with `requirepass` answers NOAUTH: it is up all the same.
  if (reply !== '+PONG' && !reply.startsWith('-NOAUTH'))
    throw new RedisStartError(`Redis on port ${port} answered PING with ${reply}`, 'exited');
}
