import {
  OAuthError,
  TokenEndpointError,
  type TokenManager,
  type TokenProvider,
  type TokenRequestOptions,
  type TokenSet,
} from '@auth/core';
import { grantProvider } from '../internal/grant-provider.js';
import type { PipelineStep, StepContext } from './pipeline-step.js';

/** The managers of the steps a step may depend on, by step name. */
export type StepManagers = ReadonlyMap<string, TokenManager>;

/**
 * One pipeline step as a {@link TokenProvider}: `fetchToken` takes the tokens of the steps it
 * depends on from their own `TokenManager`s (cached, shared, renewed ahead there), then runs
 * the step. When the step is refused with HTTP 401 (a dependency token revoked or expired
 * early), each dependency is renewed through its manager (`forceRefresh({ rejected })`, so
 * concurrent refusals renew once) and the step runs once more. It caches nothing itself.
 *
 * @param step - The step.
 * @param cacheKey - The store key of its tokens, `<keyPrefix>:<step name>` (no secret in it).
 * @param managers - The managers of every step named in `step.dependsOn`.
 * @returns The step's provider.
 */
export function stepProvider(
  step: PipelineStep,
  cacheKey: string,
  managers: StepManagers,
): TokenProvider {
  const run = async (options: TokenRequestOptions = {}): Promise<TokenSet> => {
    const { signal } = options;
    const context = await dependencyTokens(step, managers, { signal });
    try {
      return await step.run(context, options);
    } catch (error) {
      if (step.dependsOn.length === 0 || !isRefusal(error)) throw error;
      const renewed = await dependencyTokens(step, managers, { signal, rejected: context });
      return step.run(renewed, options);
    }
  };
  return grantProvider({
    name: 'pipelineStep',
    cacheKey,
    canReauthenticate: true,
    description: step.describe(),
    fetchToken: run,
  });
}

/** The tokens of `step.dependsOn`, from their managers; with `rejected`, renewed unless already replaced. */
async function dependencyTokens(
  step: PipelineStep,
  managers: StepManagers,
  options: { signal: AbortSignal | undefined; rejected?: StepContext },
): Promise<StepContext> {
  const { signal, rejected } = options;
  const entries = await Promise.all(
    step.dependsOn.map(async (name) => {
      const manager = managers.get(name)!;
      const tokens = rejected
        ? await manager.forceRefresh({ rejected: rejected.tokens[name], signal })
        : await manager.getToken({ signal });
      return [name, tokens] as const;
    }),
  );
  return { tokens: Object.freeze(Object.fromEntries(entries)) };
}

/** HTTP 401: the server refused the credentials the step sent, i.e. its dependencies' tokens. */
function isRefusal(error: unknown): boolean {
  return (
    (OAuthError.isInstance(error) || TokenEndpointError.isInstance(error)) && error.status === 401
  );
}
