import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ProcessRun, runProcess } from '@auth/testing/process';
import { freeLoopbackPort } from '@auth/testing/redis';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

interface Summary {
  workers: number;
  lifetimesSpanned: number;
  expectedTokenRequests: { min: number; max: number };
  tokenRequests: number;
  requestsTotal: number;
  requestsServed: number;
  failures: number;
}

/** Runs the built app as a child process. */
function runApp(
  args: string[],
  env: Record<string, string | undefined> = process.env,
): Promise<ProcessRun> {
  return runProcess(process.execPath, [MAIN, ...args], { env });
}

/** The machine-readable last line of the output. */
function summaryOf(run: ProcessRun): Summary {
  const lines = run.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as Summary;
}

describe('the cluster app: one token for a fleet of processes sharing Redis', () => {
  it('makes exactly one token request for the whole fleet within one token lifetime', async () => {
    const run = await runApp([
      '--workers',
      '4',
      '--requests',
      '20',
      '--token-lifetime',
      '60',
      '--duration-ms',
      '1000',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const summary = summaryOf(run);
    expect(summary).toMatchObject({
      workers: 4,
      lifetimesSpanned: 1,
      tokenRequests: 1,
      requestsTotal: 80,
      requestsServed: 80,
      failures: 0,
    });
    expect(run.stdout).toContain('Token requests by the whole fleet: 1');
    expect(run.stdout.match(/worker \d: 20 served, 0 failed/g)).toHaveLength(4);
  });

  it('makes one token request per token lifetime across two lifetimes, renewing ahead without failures', async () => {
    const run = await runApp([
      '--workers',
      '4',
      '--requests',
      '40',
      '--token-lifetime',
      '5',
      '--duration-ms',
      '6000',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const summary = summaryOf(run);
    expect(summary.lifetimesSpanned).toBe(2);
    expect(summary.expectedTokenRequests).toEqual({ min: 2, max: 2 });
    expect(summary.tokenRequests).toBe(summary.lifetimesSpanned);
    expect(summary).toMatchObject({ requestsTotal: 160, requestsServed: 160, failures: 0 });
  });

  it('exits 2 with the usage for a bad option', async () => {
    const run = await runApp(['--workers', 'many']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--workers must be a whole number from 1 to 64');
    expect(run.stderr).toContain('Usage: pnpm cluster -- [options]');
    const unknown = await runApp(['--worker', '3']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("'--worker'");
  });

  it('exits 3 with a clear message when there is neither REDIS_URL nor redis-server on PATH', async () => {
    const emptyPath = await mkdtemp(join(tmpdir(), 'cluster-no-redis-'));
    try {
      const run = await runApp(['--duration-ms', '0', '--requests', '1'], { PATH: emptyPath });
      expect(run.code).toBe(3);
      expect(run.stderr).toContain('could not start the fleet: redis-server was not found on PATH');
      expect(run.stderr).toContain('REDIS_URL is not set');
      expect(run.stderr).toContain('Install Redis');
      expect(run.stderr).not.toContain('tests');
    } finally {
      await rm(emptyPath, { recursive: true, force: true });
    }
  });

  it('exits 3 with a plain message, before starting any worker, when REDIS_URL does not answer', async () => {
    // Nobody listens on a port the kernel just handed out and took back.
    const port = await freeLoopbackPort();
    const run = await runApp(['--duration-ms', '0', '--requests', '1'], {
      ...process.env,
      REDIS_URL: `redis://:hunter2-password@127.0.0.1:${port}`,
    });
    expect(run.code).toBe(3);
    expect(run.stderr.trim()).toBe(
      `cluster: could not start the fleet: the Redis at REDIS_URL (127.0.0.1:${port}) does not answer (ECONNREFUSED): start it, fix REDIS_URL, or unset REDIS_URL to use a throwaway redis-server`,
    );
  });

  it('prints its options with --help', async () => {
    const run = await runApp(['--help']);
    expect(run.code).toBe(0);
    for (const flag of ['--workers', '--requests', '--token-lifetime', '--duration-ms'])
      expect(run.stdout).toContain(flag);
  });
});
