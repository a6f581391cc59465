import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import type { FlowInput } from './bed.js';
import { runtimesRoot } from './programs.js';

/** A Worker running in workerd, started by miniflare. */
export interface RunningWorker {
  /** Sends the Worker a request (each one is a separate request context in workerd). */
  fetch(path: string): Promise<Response>;
  close(): Promise<void>;
}

let bundled: Promise<string> | undefined;

/**
 * `flow/worker.mjs` and the packages it imports (their ES module builds, through their
 * `exports`) as one ES module, as Wrangler would deploy it.
 */
function workerBundle(): Promise<string> {
  bundled ??= build({
    entryPoints: ['flow/worker.mjs'],
    absWorkingDir: runtimesRoot,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser', 'import'],
    mainFields: ['module', 'main'],
    external: ['cloudflare:*'],
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]!.text);
  return bundled;
}

/**
 * Starts `flow/worker.mjs` in workerd (miniflare's), given the flow input as its
 * `FLOW_INPUT` binding.
 */
export async function startFlowWorker(input: FlowInput): Promise<RunningWorker> {
  const script = await workerBundle();
  const miniflare = new Miniflare({
    modules: true,
    script,
    compatibilityDate: '2026-04-01',
    bindings: { FLOW_INPUT: JSON.stringify(input) },
  });
  await miniflare.ready;
  return {
    fetch: (path) =>
      miniflare.dispatchFetch(`http://worker.local${path}`) as unknown as Promise<Response>,
    close: () => miniflare.dispose(),
  };
}
