import { type ChildProcess, fork } from 'node:child_process';
import type { WorkerMessage, WorkerReport, WorkerSetup } from './messages.js';

/** A forked worker, seen from the coordinator. */
export interface WorkerProcess {
  /** Resolves once the worker is connected and waiting; rejects if it exits first. */
  ready: Promise<void>;
  /** Resolves with the worker's report, or `undefined` when it exited without one. */
  report: Promise<WorkerReport | undefined>;
  /** Tells the worker to start its requests. */
  go(): void;
  /** Kills the worker (SIGKILL) if it is still running. */
  kill(): void;
}

/**
 * Forks the built worker entry and hands it its setup over the IPC channel (not argv or
 * environment, so the client secret never shows in `ps`).
 *
 * @param workerPath - The built `worker.js`.
 * @param setup - The worker's settings.
 * @returns The handle.
 * @example
 * ```ts
 * const worker = forkWorker(new URL('./worker.js', import.meta.url).pathname, setup);
 * await worker.ready;
 * worker.go();
 * const report = await worker.report;
 * ```
 */
export function forkWorker(workerPath: string, setup: WorkerSetup): WorkerProcess {
  const child: ChildProcess = fork(workerPath, [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, REDIS_URL: '' },
  });
  let report: WorkerReport | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') resolve();
      else if (message.type === 'done') report = message;
    });
    exited.then(() =>
      reject(
        new Error(`worker ${setup.worker} exited (code ${child.exitCode}) before it was ready`),
      ),
    );
  });
  ready.catch(() => {});
  child.send(setup);
  return {
    ready,
    report: exited.then(() => report),
    go: () => {
      if (child.connected) child.send({ type: 'go' });
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
