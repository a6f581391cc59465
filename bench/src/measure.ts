/** Timing helpers of the benchmark: run a batch of requests, sequentially or N at a time. */

/** Sends one request and reads its body to the end. */
export type Send = () => Promise<void>;

/** How long a batch took: wall-clock time, and CPU time of this process (client and server). */
export interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Runs `count` requests one after another. */
export function sequential(send: Send, count: number): Promise<Timing> {
  return timed(async () => {
    for (let i = 0; i < count; i++) await send();
  });
}

/** Runs `count` requests with `concurrency` in flight at a time. */
export function concurrent(send: Send, count: number, concurrency: number): Promise<Timing> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      await send();
    }
  };
  return timed(async () => {
    await Promise.all(Array.from({ length: concurrency }, worker));
  });
}

async function timed(work: () => Promise<void>): Promise<Timing> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await work();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The `p`-th percentile (0–100) of a non-empty list, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}
