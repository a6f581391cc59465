import { clientCredentials } from '@auth/oauth';
import { bearerTokenCheck, listenOnLoopback } from '@auth/testing/http';
import type { AuthClient } from '../contender.js';
import { startLab } from '../lab.js';
import { concurrent, median, type Send, sequential } from '../measure.js';
import { roundOrder } from '../round-order.js';
import type { Cells, Scenario } from '../scenario.js';

/** Settings of {@link overheadScenario}. */
export interface OverheadOptions {
  /** Rounds; each runs one batch of every mode, sequentially and then concurrently. */
  rounds: number;
  /** Requests per batch. */
  batch: number;
  /** Requests in flight at a time in the concurrent batches. */
  concurrency: number;
  /** No round starts after this many ms. */
  budgetMs: number;
}

const BARE = 'bare fetch';
const TARGET = 0.97;
const CONTROL = 'bare fetch (copy)';
type Shape = 'sequential' | 'concurrent';
const SHAPES: readonly Shape[] = ['sequential', 'concurrent'];

/**
 * Overhead: throughput of each contender as a ratio to bare `fetch` with a fixed
 * `Authorization` header, sequential and `concurrency` at a time, on a warm client.
 *
 * Machine noise moves loopback throughput by more than the few percent measured, so the
 * modes are interleaved finely: each round runs one short batch of every mode, in the
 * balanced order of {@link roundOrder}, and with `--expose-gc` a full collection runs,
 * untimed, before every batch, so no mode pays for another's garbage. A second copy of
 * bare fetch shows the noise floor: its ratio would be 100% on a quiet machine. Each
 * ratio is the median of the per-round ratios.
 */
export function overheadScenario(options: OverheadOptions): Scenario {
  const { rounds, batch, concurrency, budgetMs } = options;
  const total = rounds * batch;
  return {
    id: 'overhead',
    rows: [
      `overhead: ${total.toLocaleString('en')} sequential requests, throughput vs bare fetch`,
      `overhead: ${total.toLocaleString('en')} requests ${concurrency} at a time, throughput vs bare fetch`,
    ],
    async run(contenders, log) {
      const lab = await startLab({ lifetimeSeconds: 3600 });
      // A lean API that checks the token and answers at once, so the client's cost shows.
      const isAuthorized = bearerTokenCheck(lab.tokens.isActive);
      const body = JSON.stringify({ ok: true, items: [1, 2, 3] });
      const api = await listenOnLoopback((req, res) => {
        res.writeHead(isAuthorized(req.headers) ? 200 : 401, {
          'content-type': 'application/json',
        });
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
        const collectGarbage = (globalThis as { gc?: () => void }).gc;
        if (!collectGarbage)
          log('overhead: run node with --expose-gc, or garbage of one mode lands in the next');
        const run = (shape: Shape, send: Send) =>
          shape === 'sequential' ? sequential(send, batch) : concurrent(send, batch, concurrency);
        for (const shape of SHAPES) for (const send of sends.values()) await run(shape, send); // warm-up

        const ratios = new Map(
          modes.map((mode) => [mode, { sequential: [] as number[], concurrent: [] as number[] }]),
        );
        const elapsedTotal = new Map(modes.map((mode) => [mode, { sequential: 0, concurrent: 0 }]));
        const started = performance.now();
        let completed = 0;
        while (completed < rounds && performance.now() - started < budgetMs) {
          for (const shape of SHAPES) {
            const elapsed = new Map<string, number>();
            for (const mode of roundOrder(modes, completed)) {
              collectGarbage?.(); // untimed: each batch starts clean and pays for its own garbage
              const { wallMs } = await run(shape, sends.get(mode)!);
              elapsed.set(mode, wallMs);
              elapsedTotal.get(mode)![shape] += wallMs;
            }
            for (const mode of modes)
              ratios.get(mode)![shape].push(elapsed.get(BARE)! / elapsed.get(mode)!);
          }
          completed++;
        }
        const perSecond = (mode: string, shape: Shape) =>
          Math.round((completed * batch * 1000) / elapsedTotal.get(mode)![shape]).toLocaleString(
            'en',
          );
        const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;
        for (const shape of SHAPES) {
          log(
            `overhead ${shape}: ${completed} of ${rounds} rounds; bare ${perSecond(BARE, shape)} req/s; ` +
              `noise floor (copy of bare / bare) ${percent(median(ratios.get(CONTROL)![shape]))}`,
          );
        }
        // The standing target of this project (the first contender): at least 97% of bare fetch.
        const ours = contenders[0];
        if (ours) {
          const met = SHAPES.every((shape) => median(ratios.get(ours.id)![shape]) >= TARGET);
          log(
            `overhead target (${ours.packageName} ≥ ${percent(TARGET)} of bare fetch): ${met ? 'met' : 'NOT met'}`,
          );
        }
        const cells = new Map<string, Cells>();
        for (const contender of contenders) {
          cells.set(
            contender.id,
            SHAPES.map(
              (shape) =>
                `${percent(median(ratios.get(contender.id)![shape]))} (${perSecond(contender.id, shape)}/s)`,
            ),
          );
        }
        return cells;
      } finally {
        for (const client of clients) await client.close();
        await Promise.all([api.close(), lab.close()]);
      }
    },
  };
}
