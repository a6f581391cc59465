import { AuthError } from '@auth/core';

/**
 * Runs a step that needs a person (`authorize`, `onUserCode`) once: its failure becomes an
 * `AuthError` of code `interaction_failed` (the failure as `cause`), which a `TokenManager`
 * does not retry, so nobody's browser opens again behind their back. An `AuthError` (the
 * loopback receiver's `authorization_timeout`, say) and an abort pass as they are.
 *
 * @param name - The callback's option name, for the message.
 * @param signal - The caller's abort signal.
 * @param step - The step.
 * @returns What the step returns.
 * @throws {AuthError} `interaction_failed`, or the step's own `AuthError`.
 */
export async function runInteraction<T>(
  name: string,
  signal: AbortSignal | undefined,
  step: () => T | Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (AuthError.isInstance(error) || signal?.aborted) throw error;
    throw new AuthError(
      `${name} failed; a step that needs a person is not retried`,
      'interaction_failed',
      { cause: error },
    );
  }
}
