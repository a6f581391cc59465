import {
  MemoryTokenStore,
  raceSignal,
  type TokenProvider,
  type TokenSet,
  type TokenStore,
} from '@auth/core';
import { grantProvider } from '../internal/grant-provider.js';
import { checkStepGraph } from '../internal/step-graph.js';
import type { PipelineStep } from './pipeline-step.js';

/** Options of {@link tokenPipeline}. */
export interface TokenPipelineOptions {
  /** The steps; the last one's token is the pipeline's. Order otherwise does not matter. */
  steps: readonly PipelineStep[];
  /**
   * Prefix of the store keys of the steps and of the pipeline's `cacheKey`: it names the
   * identity, so two pipelines that would get different tokens must have different prefixes.
   */
  keyPrefix: string;
  /** Where intermediate tokens are cached. Default a new `MemoryTokenStore`. */
  store?: TokenStore;
  /** A cached step token is reused only while valid for this long, in ms. Default 0. */
  expirySkewMs?: number;
  /** The clock. Default `Date.now`. */
  now?: () => number;
}

/**
 * Multi-step authentication as one provider: each step gets a token from the tokens of
 * the steps it depends on (e.g. an app token, then a user token fetched with the app
 * token in a header). Intermediate tokens are cached in `store`, each until its own
 * expiry; concurrent fetches share one request per step. The last step's token is the
 * pipeline's and is fetched anew on every `fetchToken` (the `TokenManager` caches it),
 * so a rejected final token is never served again from the step cache.
 *
 * @param options - See {@link TokenPipelineOptions}.
 * @returns A provider whose `cacheKey` is `<keyPrefix>:<last step>`.
 * @throws {TypeError} No steps, a duplicate name, an unknown `dependsOn` name, a cycle, or no `keyPrefix`
 *   (checked here, at construction).
 * @example
 * ```ts
 * import { TokenManager } from '@auth/core';
 * import { httpTokenStep, tokenPipeline } from '@auth/oauth';
 *
 * const provider = tokenPipeline({
 *   keyPrefix: 'billing',
 *   steps: [
 *     httpTokenStep({ name: 'app', url: appLoginUrl, body: () => ({ key: appKey }), ttlMs: 3_600_000 }),
 *     httpTokenStep({
 *       name: 'user',
 *       url: userLoginUrl,
 *       dependsOn: ['app'],
 *       headers: ({ tokens }) => ({ Authorization: tokens.app!.authorizationHeader }),
 *       ttlMs: 600_000,
 *     }),
 *   ],
 * });
 * const manager = new TokenManager({ provider });
 * ```
 */
export function tokenPipeline(options: TokenPipelineOptions): TokenProvider {
  const steps = options.steps;
  if (!Array.isArray(steps) || steps.length === 0)
    throw new TypeError('tokenPipeline needs at least one step');
  checkStepGraph(steps);
  const byName = new Map(steps.map((step) => [step.name, step]));
  const last = steps[steps.length - 1]!;
  const keyPrefix = options.keyPrefix;
  if (typeof keyPrefix !== 'string' || keyPrefix === '')
    throw new TypeError('tokenPipeline needs a keyPrefix naming its identity (e.g. "billing-api")');
  const store = options.store ?? new MemoryTokenStore({ now: options.now });
  const now = options.now ?? Date.now;
  const skewMs = options.expirySkewMs ?? 0;
  const inFlight = new Map<string, Promise<TokenSet>>();
  const stepKey = (name: string) => `${keyPrefix}:step:${name}`;

  const run = async (step: PipelineStep, signal: AbortSignal | undefined): Promise<TokenSet> => {
    const entries = await Promise.all(
      step.dependsOn.map(async (name) => [name, await cached(byName.get(name)!, signal)] as const),
    );
    return step.run({ tokens: Object.freeze(Object.fromEntries(entries)) }, { signal });
  };

  const cached = async (step: PipelineStep, signal: AbortSignal | undefined): Promise<TokenSet> => {
    const stored = await store.get(stepKey(step.name)).catch(() => undefined);
    if (stored?.isAccessValid(skewMs, now())) return stored;
    const pending = inFlight.get(step.name);
    if (pending) return raceSignal(pending, signal);
    // Shared by every caller: the step's own timeout ends it, never one caller's signal.
    const flight = run(step, undefined)
      .then(async (tokens) => {
        await store.set(stepKey(step.name), tokens).catch(() => undefined);
        return tokens;
      })
      .finally(() => inFlight.delete(step.name));
    inFlight.set(step.name, flight);
    return raceSignal(flight, signal);
  };

  const description: Record<string, string | number | boolean | undefined> = {
    type: 'pipeline',
    keyPrefix,
    steps: steps.map((step) => step.name).join(' → '),
  };
  for (const step of steps) {
    for (const [field, value] of Object.entries(step.describe()))
      description[`${step.name}.${field}`] = value as string | number | boolean | undefined;
  }

  return grantProvider({
    name: 'tokenPipeline',
    cacheKey: `${keyPrefix}:${last.name}`,
    canReauthenticate: true,
    description,
    fetchToken: (signal) => run(last, signal),
  });
}
