/**
 * Overhead of `createAuthFetch(tokenAuth(manager))` against bare `fetch` with a fixed
 * `Authorization` header, on 127.0.0.1 only, sequential and 32 at a time.
 *
 * Machine noise (other processes, GC, CPU frequency) moves loopback throughput by more
 * than the few percent measured here, so the modes are interleaved finely: each round
 * runs one short batch of every mode, in an order that walks through every permutation
 * (so each mode follows each other one equally often, and no mode always pays for the
 * garbage of the one before). A third mode, an identical copy of bare fetch,
 * shows the noise floor: its ratio to bare would be 100% on a quiet machine. The verdict
 * uses the median of the per-round ratios (robust to bursts of load from other processes);
 * the ratio of total times and the CPU time per request are printed beside it.
 *
 * Bounded: a fixed number of rounds and batch size, and a time budget after which no new
 * round starts.
 *
 * Usage: node dist/main.js [--rounds 120] [--batch 100] [--budget-ms 120000]
 */
import { parseArgs } from 'node:util';
import { TokenManager, tokenAuth } from '@auth/core';
import { createAuthFetch } from '@auth/fetch';
import { listenOnLoopback, startTokenServer, testClientProvider } from '@auth/testing/http';
import { concurrent, median, type Send, sequential } from './measure.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    rounds: { type: 'string', default: '120' },
    batch: { type: 'string', default: '100' },
    'budget-ms': { type: 'string', default: '120000' },
  },
});
const rounds = Number(values.rounds);
const batch = Number(values.batch);
const budgetMs = Number(values['budget-ms']);
const CONCURRENCY = 32;
const TARGET = 0.97;

const body = JSON.stringify({ ok: true, items: [1, 2, 3] });
const api = await listenOnLoopback((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(body);
});
const tokens = await startTokenServer();
const manager = new TokenManager({ provider: testClientProvider(tokens.tokenUrl) });
const fixedHeader = await manager.getAuthorizationHeader();
const authFetch = createAuthFetch({ auth: tokenAuth(manager), baseUrl: api.url });
const url = `${api.url}/items`;

type Mode = 'bare' | 'auth' | 'control';
const MODES: readonly Mode[] = ['bare', 'auth', 'control'];
const bareFetch = (): Send => async () => {
  const response = await fetch(url, { headers: { Authorization: fixedHeader } });
  await response.arrayBuffer();
};
const sends: Record<Mode, Send> = {
  bare: bareFetch(),
  control: bareFetch(),
  auth: async () => {
    const response = await authFetch(url);
    await response.arrayBuffer();
  },
};

// Every order of the three modes, so no mode always runs after the same other one.
const ORDERS: readonly (readonly Mode[])[] = [
  ['bare', 'auth', 'control'],
  ['auth', 'control', 'bare'],
  ['control', 'bare', 'auth'],
  ['bare', 'control', 'auth'],
  ['control', 'auth', 'bare'],
  ['auth', 'bare', 'control'],
];

type Shape = 'sequential' | 'concurrent';
const SHAPES: readonly Shape[] = ['sequential', 'concurrent'];
// A concurrent batch is 4× longer, so the ramp up to 32 in flight and the drain at its end
// weigh little.
const batchOf: Record<Shape, number> = { sequential: batch, concurrent: batch * 4 };
const run = (shape: Shape, send: Send) =>
  shape === 'sequential'
    ? sequential(send, batchOf.sequential)
    : concurrent(send, batchOf.concurrent, CONCURRENCY);

console.log(
  `loopback ${api.url}: up to ${rounds} rounds; per round and mode a batch of ` +
    `${batchOf.sequential} sequential and ${batchOf.concurrent} concurrent requests, ` +
    `concurrency ${CONCURRENCY}, budget ${budgetMs / 1000} s`,
);
for (const shape of SHAPES) for (const mode of MODES) await run(shape, sends[mode]); // warm-up

const totals = { sequential: zero(), concurrent: zero() };
const cpuTotals = { sequential: zero(), concurrent: zero() };
const pairRatios: Record<Shape, number[]> = { sequential: [], concurrent: [] };
const started = performance.now();
let completed = 0;
while (completed < rounds && performance.now() - started < budgetMs) {
  for (const shape of SHAPES) {
    const elapsed = zero();
    for (const mode of ORDERS[completed % ORDERS.length]!) {
      const timing = await run(shape, sends[mode]);
      elapsed[mode] = timing.wallMs;
      totals[shape][mode] += timing.wallMs;
      cpuTotals[shape][mode] += timing.cpuMs;
    }
    pairRatios[shape].push(elapsed.bare / elapsed.auth);
  }
  completed++;
}

const perSecond = (shape: Shape, ms: number) =>
  ((completed * batchOf[shape] * 1000) / ms).toFixed(0).padStart(6);
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;
let met = true;
console.log(
  `\n${completed} rounds, ${completed * (batchOf.sequential + batchOf.concurrent)} requests per mode, in ` +
    `${((performance.now() - started) / 1000).toFixed(1)} s`,
);
for (const shape of SHAPES) {
  const total = totals[shape];
  const ratio = median(pairRatios[shape]);
  met &&= ratio >= TARGET;
  console.log(
    `${shape.padEnd(10)} bare ${perSecond(shape, total.bare)} req/s  auth ${perSecond(shape, total.auth)} req/s  ` +
      `auth/bare: median of rounds ${percent(ratio)}, of totals ${percent(total.bare / total.auth)}  ` +
      `(noise floor control/bare ${percent(total.bare / total.control)})`,
  );
  const cpu = cpuTotals[shape];
  const perRequest = (ms: number) =>
    `${((ms * 1000) / (completed * batchOf[shape])).toFixed(1)} µs`;
  console.log(
    `${''.padEnd(10)} CPU per request (client + server): bare ${perRequest(cpu.bare)}, ` +
      `auth ${perRequest(cpu.auth)}, control ${perRequest(cpu.control)}; ` +
      `bare/auth ${percent(cpu.bare / cpu.auth)}`,
  );
}
console.log(
  `token requests: ${tokens.requestCount}; target auth/bare ≥ ${percent(TARGET)}: ${met ? 'met' : 'NOT met'}`,
);

await manager.close();
await Promise.all([api.close(), tokens.close()]);

function zero(): Record<Mode, number> {
  return { bare: 0, auth: 0, control: 0 };
}
