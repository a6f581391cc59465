import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  freeLoopbackPort,
  killProcess,
  LOOPBACK,
  sendCommand,
  spawnRedisServer,
} from './redis-process.js';

const run = promisify(execFile);

/**
 * Settings of {@link startRedisCluster}.
 *
 * @example
 * ```ts
 * const cluster = await startRedisCluster({ masters: 3, startTimeoutMs: 60_000 });
 * ```
 */
export interface RedisClusterOptions {
  /** Number of master nodes (no replicas). Default 3, the fewest Redis Cluster accepts. */
  masters?: number;
  /** How long to wait for the nodes to start and the cluster to report `ok`, in ms. Default 30 000. */
  startTimeoutMs?: number;
}

/**
 * A throwaway Redis Cluster on loopback.
 *
 * @example
 * ```ts
 * const cluster: TestRedisCluster = await startRedisCluster();
 * const client = new Cluster([...cluster.nodes]);
 * ```
 */
export interface TestRedisCluster {
  /** The master nodes, as ioredis `Cluster` startup nodes. */
  readonly nodes: readonly { host: string; port: number }[];
  /** Kills every node and removes their folders. */
  close(): Promise<void>;
}

const STATE_POLL_MS = 50;

/**
 * Starts a throwaway Redis Cluster: `masters` `redis-server --cluster-enabled yes` nodes
 * on free loopback ports (persistence off, their own folders), joined with
 * `redis-cli --cluster create --cluster-yes`, and waits until every node reports
 * `cluster_state:ok`.
 *
 * @param options - Node count and start timeout.
 * @returns The running cluster; `close()` it after the test.
 * @throws {Error} redis-server or redis-cli missing, or the cluster not ready in time
 *   (the message holds redis-cli's output).
 * @example
 * ```ts
 * const cluster = await startRedisCluster();
 * const client = new Cluster([...cluster.nodes]);
 * ```
 */
export async function startRedisCluster(
  options: RedisClusterOptions = {},
): Promise<TestRedisCluster> {
  const masters = options.masters ?? 3;
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const deadline = Date.now() + startTimeoutMs;
  const dir = await mkdtemp(join(tmpdir(), 'auth-redis-cluster-'));
  const children: Awaited<ReturnType<typeof spawnRedisServer>>[] = [];
  const nodes: { host: string; port: number }[] = [];
  const close = async () => {
    process.removeListener('exit', killOnExit);
    await Promise.all(children.map(killProcess));
    await rm(dir, { recursive: true, force: true });
  };
  const killOnExit = () => {
    for (const child of children) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  try {
    for (let index = 0; index < masters; index++) {
      const port = await freeLoopbackPort();
      const busPort = await freeLoopbackPort();
      const nodeDir = join(dir, String(port));
      await mkdir(nodeDir);
      children.push(
        await spawnRedisServer({
          port,
          dir: nodeDir,
          startTimeoutMs: Math.max(1, deadline - Date.now()),
          args: [
            '--cluster-enabled',
            'yes',
            '--cluster-port',
            String(busPort),
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            '5000',
          ],
        }),
      );
      nodes.push({ host: LOOPBACK, port });
    }
    await createCluster(nodes, deadline);
    await waitForClusterOk(nodes, deadline);
    return { nodes, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function createCluster(nodes: { host: string; port: number }[], deadline: number) {
  try {
    await run(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...nodes.map((node) => `${node.host}:${node.port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { timeout: Math.max(1, deadline - Date.now()) },
    );
  } catch (error) {
    const detail = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `redis-cli --cluster create failed: ${detail.message}\n${detail.stdout ?? ''}${detail.stderr ?? ''}`,
    );
  }
}

async function waitForClusterOk(nodes: { port: number }[], deadline: number): Promise<void> {
  for (;;) {
    const states = await Promise.all(
      nodes.map((node) => sendCommand(node.port, ['CLUSTER', 'INFO']).catch(() => '')),
    );
    if (states.every((info) => info.includes('cluster_state:ok'))) return;
    if (Date.now() >= deadline) {
      throw new Error(
        `the Redis cluster did not reach cluster_state:ok in time:\n${states.join('\n')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, STATE_POLL_MS));
  }
}
