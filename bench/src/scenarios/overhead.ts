import { fork } from 'node:child_process';
import { nextMessage } from '../child-message.js';
import { median } from '../measure.js';
import type { Cells, Scenario } from '../scenario.js';
import {
  BARE,
  CONTROL,
  type OverheadSample,
  type SampleOptions,
  SHAPES,
  type Shape,
} from './overhead-sample.js';

/** Settings of {@link overheadScenario}. */
export interface OverheadOptions extends SampleOptions {
  /** Fresh processes the rounds are split over. */
  forks: number;
}

/** This project's standing target: at least 97% of bare fetch's throughput. */
const TARGET = 0.97;

/**
 * Overhead: throughput of each contender as a ratio to bare `fetch` with a fixed
 * `Authorization` header, sequential and `concurrency` at a time, on a warm client.
 *
 * Machine noise moves loopback throughput by more than the few percent measured, so each
 * contender is interleaved finely with bare fetch, a batch of each per round (see
 * `sampleOverhead`). Each contender is measured in processes of its own, as a service
 * runs one such library: in one shared process the libraries' different ways of calling
 * `fetch` slow one another's calls (ours lost 5% there, the peer that calls `fetch` just
 * as the baseline does lost nothing). And as the JIT settles differently in each process,
 * a contender's rounds are split over `forks` fresh processes, one after the other, as JMH
 * does. Each ratio is the median of the per-round ratios of all its processes; a second
 * copy of bare fetch shows the noise floor (100% on a quiet machine).
 */
export function overheadScenario(options: OverheadOptions): Scenario {
  const { rounds, batch, concurrency, forks } = options;
  const total = rounds * batch;
  return {
    id: 'overhead',
    rows: [
      `overhead: ${total.toLocaleString('en')} sequential requests, throughput vs bare fetch`,
      `overhead: ${total.toLocaleString('en')} requests ${concurrency} at a time, throughput vs bare fetch`,
    ],
    async run(contenders, log) {
      const perFork: SampleOptions = {
        ...options,
        rounds: Math.ceil(rounds / forks),
        budgetMs: options.budgetMs / (forks * contenders.length),
      };
      const samples = new Map<string, OverheadSample[]>();
      for (const contender of contenders) {
        const own: OverheadSample[] = [];
        for (let i = 0; i < forks; i++) {
          const child = fork(
            new URL('./overhead-fork.js', import.meta.url),
            [contender.id, JSON.stringify(perFork)],
            { execArgv: ['--expose-gc'] },
          );
          // Bounded: a process that has not reported by its budget and a minute more is killed.
          const timer = setTimeout(() => child.kill(), perFork.budgetMs + 60_000);
          try {
            own.push(await nextMessage<OverheadSample>(child));
          } catch (error) {
            log(`${contender.id}: an overhead process gave no result: ${(error as Error).message}`);
          } finally {
            clearTimeout(timer);
          }
        }
        samples.set(contender.id, own);
      }
      const all = [...samples.values()].flat();
      const ratio = (mode: string, shape: Shape, from: readonly OverheadSample[] = all) =>
        median(from.flatMap((sample) => sample.ratios[mode]?.[shape] ?? []));
      const perSecond = (mode: string, shape: Shape, from: readonly OverheadSample[] = all) => {
        const completed = from.reduce((sum, sample) => sum + sample.completed, 0);
        const ms = from.reduce((sum, sample) => sum + (sample.elapsedMs[mode]?.[shape] ?? 0), 0);
        return Math.round((completed * batch * 1000) / ms).toLocaleString('en');
      };
      const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
      // CPU time per request moves less with scheduling noise than throughput does.
      const cpuPerRequestUs = (mode: string, shape: Shape, from: readonly OverheadSample[]) => {
        const completed = from.reduce((sum, sample) => sum + sample.completed, 0);
        const ms = from.reduce((sum, sample) => sum + (sample.cpuMs[mode]?.[shape] ?? 0), 0);
        return (ms * 1000) / (completed * batch);
      };
      for (const shape of SHAPES) {
        log(
          `overhead ${shape}: per contender ${rounds} rounds in ${forks} processes; ` +
            `bare ${perSecond(BARE, shape)} req/s; noise floor (copy of bare / bare) ${percent(ratio(CONTROL, shape))}`,
        );
      }
      for (const contender of contenders) {
        const own = samples.get(contender.id) ?? [];
        if (own.length === 0) continue;
        const cpu = SHAPES.map((shape) => {
          const bare = cpuPerRequestUs(BARE, shape, own);
          const mine = cpuPerRequestUs(contender.id, shape, own);
          const delta = mine - bare;
          return `${shape} ${mine.toFixed(0)} µs vs bare ${bare.toFixed(0)} µs (${delta < 0 ? '−' : '+'}${Math.abs(delta).toFixed(1)} µs)`;
        });
        log(`overhead CPU per request (client and servers), ${contender.id}: ${cpu.join('; ')}`);
      }
      const ours = contenders[0];
      if (ours) {
        const met = SHAPES.every((shape) => ratio(ours.id, shape) >= TARGET);
        log(
          `overhead target (${ours.packageName} ≥ ${percent(TARGET)} of bare fetch): ${met ? 'met' : 'NOT met'}`,
        );
      }
      const cells = new Map<string, Cells>();
      for (const contender of contenders) {
        if (samples.get(contender.id)?.length === 0) {
          cells.set(contender.id, ['timed out', 'timed out']);
          continue;
        }
        cells.set(
          contender.id,
          SHAPES.map(
            (shape) =>
              `${percent(ratio(contender.id, shape))} (${perSecond(contender.id, shape, samples.get(contender.id))}/s)`,
          ),
        );
      }
      return cells;
    },
  };
}
