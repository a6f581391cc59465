import type { DemoEnvironment } from '../environment.js';
import type { Narrator } from '../narrator.js';

/** What a scene gets: the running environment and the narrator. */
export interface SceneContext {
  env: DemoEnvironment;
  narrator: Narrator;
}

/** Whether a scene saw what it set out to show. */
export interface SceneOutcome {
  ok: boolean;
}

/** Token endpoint requests the provider has received so far. */
export function tokenRequestCount({ env }: SceneContext): number {
  return env.provider.tokenRequests.length;
}

/** Calls the API `count` times at once and returns the response statuses. */
export async function callConcurrently(
  call: () => Promise<Response>,
  count: number,
): Promise<number[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const res = await call();
      await res.body?.cancel();
      return res.status;
    }),
  );
}
