// The flow in a browser page: bundled by esbuild (`browser/harness.ts`) with the packages'
// browser builds and loaded as `globalThis.authFlow`. `runFlow` is the flow every runtime
// runs; the rest (`browser/flow.ts`) is what only the browser's own tests call.
import * as core from '@auth/core';
import * as fetchAdapter from '@auth/fetch';
import * as oauth from '@auth/oauth';
import { runFlow as runSharedFlow } from './flow.mjs';

export * from '../browser/flow.ts';

/**
 * The shared flow with the bundled packages.
 *
 * @param {import('../src/bed.ts').FlowInput} input
 */
export async function runFlow(input) {
  return { ...(await runSharedFlow({ core, oauth, fetch: fetchAdapter }, input)), format: 'esm' };
}
