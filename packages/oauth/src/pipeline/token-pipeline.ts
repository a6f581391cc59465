import {
  MemoryTokenStore,
  TokenManager,
  type TokenManagerOptions,
  type TokenProvider,
  type TokenStore,
} from '@auth/core';
import { grantProvider } from '../internal/grant-provider.js';
import { checkStepGraph } from '../internal/step-graph.js';
import type { PipelineStep } from './pipeline-step.js';
import { stepProvider } from './step-provider.js';

/**
 * Options of {@link tokenPipeline}. The timing, clock and event settings go to the
 * `TokenManager` of every step that others depend on (see `TokenManagerOptions` for defaults).
 * A step makes one attempt per request: retries are the job of the manager around the
 * pipeline, so they do not multiply.
 */
export interface TokenPipelineOptions
  extends Pick<
    TokenManagerOptions,
    'expirySkewMs' | 'refreshAheadMs' | 'lockTtlMs' | 'now' | 'onEvent'
  > {
  /** The steps; the last one's token is the pipeline's. Order otherwise does not matter. */
  steps: readonly PipelineStep[];
  /**
   * Names the identity: step tokens are stored under `<keyPrefix>:<step name>` and the
   * pipeline's `cacheKey` is `<keyPrefix>:<last step>`. Pipelines with the same prefix share
   * the steps they have in common by name; two that would get different tokens need
   * different prefixes. Keep secrets out of it.
   */
  keyPrefix: string;
  /**
   * Where step tokens are kept. Share a `FileTokenStore` or `RedisTokenStore` (with its lock)
   * to make one request per step across processes. Default a new `MemoryTokenStore`.
   */
  store?: TokenStore;
}

/**
 * Multi-step authentication as one provider: each step gets a token from the tokens of the
 * steps it depends on (e.g. an app token, then a user token fetched with the app token in a
 * header). Every step that others depend on runs through its own `TokenManager` on `store`,
 * keyed `<keyPrefix>:<step name>`: cached until its own expiry (minus the clamped
 * `expirySkewMs`), renewed ahead in the background, one request at a time per process and,
 * with a lock-capable store, across processes; store faults become `store-error` events.
 * When a step is refused with HTTP 401, its dependencies are renewed through their managers
 * and the step runs once more. The last step's token is the pipeline's and is fetched anew
 * on every `fetchToken`: the caller's `TokenManager` is its cache, so a rejected final token
 * is never served again.
 *
 * @param options - See {@link TokenPipelineOptions}.
 * @returns A provider whose `cacheKey` is `<keyPrefix>:<last step>`.
 * @throws {TypeError} No steps, a duplicate name, an unknown `dependsOn` name, a cycle, no
 *   `keyPrefix` or an invalid manager setting (checked here, at construction).
 * @example
 * ```ts
 * import { TokenManager } from '@auth/core';
 * import { httpTokenStep, tokenPipeline } from '@auth/oauth';
 *
 * const appLoginUrl = 'https://api.example.com/auth/app';
 * const userLoginUrl = 'https://api.example.com/auth/user';
 * const appKey = process.env.APP_KEY!;
 * const provider = tokenPipeline({
 *   keyPrefix: 'billing',
 *   onEvent: (event) => console.log(event.type, event.key),
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
  const keyPrefix = options.keyPrefix;
  if (typeof keyPrefix !== 'string' || keyPrefix === '')
    throw new TypeError('tokenPipeline needs a keyPrefix naming its identity (e.g. "billing-api")');
  const { expirySkewMs, refreshAheadMs, lockTtlMs, now, onEvent } = options;
  // One attempt per step: the manager around the pipeline retries the whole chain, and a
  // step's failure is as transient as its cause, so retrying in both would multiply requests.
  const managerOptions = {
    expirySkewMs,
    refreshAheadMs,
    lockTtlMs,
    retry: { maxAttempts: 1 },
    now,
    onEvent,
  };
  const store = options.store ?? new MemoryTokenStore({ now });
  const stepKey = (step: PipelineStep) => `${keyPrefix}:${step.name}`;

  // Managers in dependency order, so each step's provider finds its dependencies' managers.
  const managers = new Map<string, TokenManager>();
  const needed = new Set(steps.flatMap((step) => step.dependsOn));
  const byName = new Map(steps.map((step) => [step.name, step]));
  const addManager = (step: PipelineStep): void => {
    if (managers.has(step.name)) return;
    for (const name of step.dependsOn) addManager(byName.get(name)!);
    const key = stepKey(step);
    const provider = stepProvider(step, key, managers);
    managers.set(step.name, new TokenManager({ ...managerOptions, provider, store, key }));
  };
  for (const step of steps) if (needed.has(step.name)) addManager(step);

  const last = steps[steps.length - 1]!;
  const lastStep = stepProvider(last, stepKey(last), managers);
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
    cacheKey: lastStep.cacheKey,
    canReauthenticate: true,
    description,
    fetchToken: (options) => lastStep.fetchToken(options),
  });
}
