import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { EventLog } from './event-log.js';

/** What a worker reports about one of its manager's events (no secrets: fingerprints only). */
export interface WorkerEvent {
  type: string;
  background?: boolean;
  fingerprint?: string;
  operation?: string;
  errorName?: string;
  errorMessage?: string;
}

interface Message {
  type: string;
  [field: string]: unknown;
}

const WORKER = fileURLToPath(new URL('./fleet-worker.mjs', import.meta.url));

/** One worker process as the parent sees it: messages queued until a test takes them. */
class Worker {
  readonly log = new EventLog<WorkerEvent>();
  readonly #inbox: Message[] = [];
  readonly #takers: { type: string; resolve: (message: Message) => void }[] = [];

  #stderr = '';

  constructor(readonly child: ChildProcess) {
    child.on('message', (message: Message) => this.#receive(message));
    child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr += chunk.toString();
      process.stderr.write(chunk);
    });
  }

  /** What the worker wrote to stderr so far (also passed through to the test's stderr). */
  readonly stderr = (): string => this.#stderr;

  send(message: Message): void {
    this.child.send(message);
  }

  /** The next message of `type` (a `failed` message rejects). */
  take(type: string): Promise<Message> {
    const index = this.#inbox.findIndex(
      (message) => message.type === type || message.type === 'failed',
    );
    if (index >= 0) return settle(this.#inbox.splice(index, 1)[0]!);
    return new Promise((resolve) => this.#takers.push({ type, resolve })).then((message) =>
      settle(message as Message),
    );
  }

  #receive(message: Message): void {
    if (message.type === 'event') {
      this.log.push(message.event as WorkerEvent);
      return;
    }
    const taker = this.#takers.find((t) => t.type === message.type || message.type === 'failed');
    if (taker) {
      this.#takers.splice(this.#takers.indexOf(taker), 1);
      taker.resolve(message);
    } else {
      this.#inbox.push(message);
    }
  }
}

function settle(message: Message): Promise<Message> {
  if (message.type === 'failed')
    return Promise.reject(new Error(`worker failed: ${message.message}`));
  return Promise.resolve(message);
}

/** Settings every worker gets: one of `redisUrl`, `clusterNodes`, `proxyOptions`. */
export interface FleetOptions {
  size: number;
  /** A single Redis, for a plain ioredis client. */
  redisUrl?: string;
  /** Startup nodes of a Redis Cluster, for an ioredis `Cluster` client. */
  clusterNodes?: readonly { host: string; port: number }[];
  /** ioredis options for a plain client to a proxy (e.g. twemproxy). */
  proxyOptions?: Record<string, unknown>;
  tokenUrl: string;
  keyPrefix: string;
  refreshAheadMs: number;
}

/**
 * A fleet of worker processes, each with its own TokenManager over its own ioredis
 * connection, started and held at a barrier until the test sends them all to work.
 */
export class Fleet {
  readonly workers: Worker[];

  private constructor(workers: Worker[]) {
    this.workers = workers;
  }

  /** Forks the workers and waits until every one is connected to Redis. */
  static async start(options: FleetOptions): Promise<Fleet> {
    const settings = JSON.stringify(options);
    const workers = Array.from(
      { length: options.size },
      () => new Worker(fork(WORKER, [settings], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'] })),
    );
    const fleet = new Fleet(workers);
    await Promise.all(workers.map((worker) => worker.take('ready')));
    return fleet;
  }

  /** Moves every worker's clock forward by `ms`. */
  async advance(ms: number): Promise<void> {
    for (const worker of this.workers) worker.send({ type: 'advance', ms });
    await Promise.all(this.workers.map((worker) => worker.take('advanced')));
  }

  /**
   * Sends every worker to make `calls` concurrent `getToken()` calls at once (the 'go'
   * of the barrier) and returns the distinct token fingerprints each one was served.
   */
  async burst(calls: number): Promise<string[][]> {
    return (await this.timedBurst(calls)).map((reply) => reply.fingerprints);
  }

  /**
   * As {@link Fleet.burst}, with how long each call took from the worker's 'go' until its
   * token was served (ms, in the order they were served).
   */
  async timedBurst(calls: number): Promise<{ fingerprints: string[]; durationsMs: number[] }[]> {
    for (const worker of this.workers) worker.send({ type: 'burst', calls });
    const replies = await Promise.all(this.workers.map((worker) => worker.take('burst-done')));
    return replies.map((reply) => ({
      fingerprints: reply.fingerprints as string[],
      durationsMs: reply.durationsMs as number[],
    }));
  }

  /**
   * Asks every worker to close its manager, store and connection, then waits for exits.
   *
   * @returns Each worker's exit code (or signal name), and what it wrote to stderr.
   */
  async stop(): Promise<{ exit: number | string; stderr: string }[]> {
    return Promise.all(
      this.workers.map(async ({ child, stderr }) => {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          if (child.connected) child.send({ type: 'exit' });
          else child.kill('SIGKILL');
          await exited;
        }
        return { exit: child.exitCode ?? child.signalCode ?? 'unknown', stderr: stderr() };
      }),
    );
  }
}
