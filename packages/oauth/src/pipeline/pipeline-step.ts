import type { ProviderDescription, TokenSet } from '@auth/core';

/** What a step sees: the token sets of the steps it depends on, by name. */
export interface StepContext {
  /** The tokens of the steps named in `dependsOn`. */
  tokens: Readonly<Record<string, TokenSet>>;
}

/** One step of a {@link tokenPipeline}. {@link httpTokenStep} makes the common kind. */
export interface PipelineStep {
  /** Unique within the pipeline; the step's tokens are cached under it. */
  readonly name: string;
  /** Names of the steps whose tokens this one needs. */
  readonly dependsOn: readonly string[];
  /**
   * Gets the step's token.
   *
   * @param context - The tokens of `dependsOn`.
   * @param options - `signal` aborts the request.
   */
  run(context: StepContext, options: { signal?: AbortSignal }): Promise<TokenSet>;
  /** Settings for a status screen, secrets as `'set'`/`'not set'`. */
  describe(): ProviderDescription;
}
