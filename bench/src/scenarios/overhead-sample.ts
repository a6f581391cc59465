import { clientCredentials } from '@auth/oauth';
import { bearerTokenCheck, listenOnLoopback } from '@auth/testing/http';
import type { AuthClient, Contender } from '../contender.js';
import { startLab } from '../lab.js';
import { concurrent, type Send, sequential } from '../measure.js';
import { roundOrder } from '../round-order.js';

/** The two shapes of traffic the overhead is measured in. */
export type Shape = 'sequential' | 'concurrent';
/** Both shapes, in the order each round runs them. */
export const SHAPES: readonly Shape[] = ['sequential', 'concurrent'];
/** The mode every ratio is taken against. */
export const BARE = 'bare fetch';
/** An identical copy of {@link BARE}: its ratio is the noise floor. */
export const CONTROL = 'bare fetch (copy)';

/** How one process measures: rounds, batch size, concurrency and a time budget. */
export interface SampleOptions {
  /** Rounds; each runs one batch of every mode, sequentially and then concurrently. */
  rounds: number;
  /** Requests per batch. */
  batch: number;
  /** Requests in flight at a time in the concurrent batches. */
  concurrency: number;
  /** No round starts after this many ms. */
  budgetMs: number;
}

/** What one process measured, per mode (bare, its copy, and each contender's id). */
export interface OverheadSample {
  /** Rounds completed within the budget. */
  completed: number;
  /** Per mode and shape, the ratio bare time / mode time of every round. */
  ratios: Record<string, Record<Shape, number[]>>;
  /** Per mode and shape, the total wall time of its batches, in ms. */
  elapsedMs: Record<string, Record<Shape, number>>;
  /** Per mode and shape, the CPU time of this process (client and servers) in its batches, in ms. */
  cpuMs: Record<string, Record<Shape, number>>;
}

/**
 * Measures, in this process, bare `fetch` with a fixed header, a copy of it, and every
 * contender on a warm client, against a lean API that checks the token. Each round runs
 * one batch of every mode in the balanced order of {@link roundOrder}; before each batch
 * an untimed full garbage collection runs when Node was started with `--expose-gc`, so no
 * mode pays for another's garbage.
 */
export async function sampleOverhead(
  contenders: readonly Contender[],
  { rounds, batch, concurrency, budgetMs }: SampleOptions,
): Promise<OverheadSample> {
  const lab = await startLab({ lifetimeSeconds: 3600 });
  const isAuthorized = bearerTokenCheck(lab.tokens.isActive);
  const body = JSON.stringify({ ok: true, items: [1, 2, 3] });
  const api = await listenOnLoopback((req, res) => {
    res.writeHead(isAuthorized(req.headers) ? 200 : 401, { 'content-type': 'application/json' });
    res.end(body);
  });
  const setup = { ...lab.setup, apiUrl: api.url };
  const clients: AuthClient[] = [];
  try {
    const fixedHeader = (await clientCredentials(setup).fetchToken()).authorizationHeader;
    const url = `${api.url}/items`;
    const bare: Send = async () => {
      const response = await fetch(url, { headers: { Authorization: fixedHeader } });
      await response.arrayBuffer();
    };
    const sends = new Map<string, Send>([
      [BARE, bare],
      [CONTROL, async () => bare()],
    ]);
    for (const contender of contenders) {
      const client = await contender.create(setup);
      clients.push(client);
      sends.set(contender.id, async () => {
        const status = await client.get('/items');
        if (status !== 200)
          throw new Error(`${contender.id}: status ${status} in the overhead run`);
      });
    }
    const modes = [...sends.keys()];
    const run = (shape: Shape, send: Send) =>
      shape === 'sequential' ? sequential(send, batch) : concurrent(send, batch, concurrency);
    for (const shape of SHAPES) for (const send of sends.values()) await run(shape, send); // warm-up

    const collectGarbage = (globalThis as { gc?: () => void }).gc;
    const sample: OverheadSample = { completed: 0, ratios: {}, elapsedMs: {}, cpuMs: {} };
    for (const mode of modes) {
      sample.ratios[mode] = { sequential: [], concurrent: [] };
      sample.elapsedMs[mode] = { sequential: 0, concurrent: 0 };
      sample.cpuMs[mode] = { sequential: 0, concurrent: 0 };
    }
    const started = performance.now();
    while (sample.completed < rounds && performance.now() - started < budgetMs) {
      for (const shape of SHAPES) {
        const elapsed = new Map<string, number>();
        for (const mode of roundOrder(modes, sample.completed)) {
          collectGarbage?.();
          const { wallMs, cpuMs } = await run(shape, sends.get(mode)!);
          elapsed.set(mode, wallMs);
          sample.elapsedMs[mode]![shape] += wallMs;
          sample.cpuMs[mode]![shape] += cpuMs;
        }
        for (const mode of modes)
          sample.ratios[mode]![shape].push(elapsed.get(BARE)! / elapsed.get(mode)!);
      }
      sample.completed++;
    }
    return sample;
  } finally {
    for (const client of clients) await client.close();
    await Promise.all([api.close(), lab.close()]);
  }
}
