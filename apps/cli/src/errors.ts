import {
  AuthenticationError,
  OAuthError,
  SessionExpiredError,
  TokenEndpointError,
  TokenResponseError,
  TokenStoreError,
} from '@auth/core';

/**
 * The exit codes of `auth-cli`, one per kind of failure a script can act on.
 *
 * @example
 * ```ts
 * process.exitCode = EXIT_CODES.usage;
 * ```
 */
export const EXIT_CODES = {
  /** Done. */
  ok: 0,
  /** Anything not listed below (e.g. the token file cannot be written). */
  failure: 1,
  /** A bad command, flag, setting or config file. */
  usage: 2,
  /** The provider could not be reached, or did not answer usably. */
  unreachable: 3,
  /** The provider refused: wrong credentials, denied or expired device code, unknown client. */
  rejected: 4,
  /** Not logged in, or the login has expired: run `auth-cli login`. */
  loginRequired: 5,
  /** Interrupted with Ctrl-C. */
  interrupted: 130,
} as const;

/** One of {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/**
 * A failure the CLI reports as it is: a message for the user (never a secret) and the
 * exit code.
 *
 * @example
 * ```ts
 * throw new CliError('not logged in: run `auth-cli login`', EXIT_CODES.loginRequired);
 * ```
 */
export class CliError extends Error {
  /** The process exit code. */
  readonly exitCode: ExitCode;

  /**
   * @param message - What went wrong and what to do, for a human; never a secret.
   * @param exitCode - One of {@link EXIT_CODES}.
   * @param options - `cause`: the underlying error.
   */
  constructor(message: string, exitCode: ExitCode, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

const LOGIN_HINT = 'run `auth-cli login`';

/**
 * Maps anything thrown to what the user sees: a one-line message and an exit code.
 * Messages come from the errors of the auth packages, which never hold a secret.
 *
 * @param error - What was thrown.
 * @returns The message (without the `auth-cli:` prefix) and the exit code.
 * @example
 * ```ts
 * const { message, exitCode } = describeFailure(error);
 * ```
 */
export function describeFailure(error: unknown): { message: string; exitCode: ExitCode } {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (SessionExpiredError.isInstance(error)) {
    return {
      message: `your login has expired (the provider no longer accepts it): ${LOGIN_HINT}`,
      exitCode: EXIT_CODES.loginRequired,
    };
  }
  if (AuthenticationError.isInstance(error) && error.cause !== undefined)
    return describeFailure(error.cause);
  if (OAuthError.isInstance(error)) return describeOAuthError(error);
  if (TokenEndpointError.isInstance(error)) {
    return {
      message: `could not reach the provider: ${error.message}${causeDetail(error)}`,
      exitCode: EXIT_CODES.unreachable,
    };
  }
  if (TokenResponseError.isInstance(error)) {
    return {
      message: `the provider's answer was not usable: ${error.message}`,
      exitCode: EXIT_CODES.unreachable,
    };
  }
  if (TokenStoreError.isInstance(error))
    return { message: `token file: ${error.message}`, exitCode: EXIT_CODES.failure };
  if (error instanceof TypeError) return { message: error.message, exitCode: EXIT_CODES.usage };
  const message = error instanceof Error ? error.message : String(error);
  return { message: `unexpected error: ${message}`, exitCode: EXIT_CODES.failure };
}

function describeOAuthError(error: OAuthError): { message: string; exitCode: ExitCode } {
  const detail = error.errorDescription ? ` (${error.errorDescription})` : '';
  switch (error.error) {
    case 'access_denied':
      return { message: `the login was denied${detail}`, exitCode: EXIT_CODES.rejected };
    case 'expired_token':
      return {
        message: `the device code expired before it was approved: ${LOGIN_HINT} again`,
        exitCode: EXIT_CODES.rejected,
      };
    case 'invalid_grant':
      return {
        message: `the provider rejected the credentials: invalid_grant${detail}`,
        exitCode: EXIT_CODES.rejected,
      };
    case 'mfa_required':
      return {
        message: `this account needs a one-time code: log in again with --totp <code> (or AUTH_TOTP)${detail}`,
        exitCode: EXIT_CODES.rejected,
      };
    case 'invalid_client':
    case 'unauthorized_client':
      return {
        message: `the provider rejected the client: ${error.error}${detail}; check the client id and secret`,
        exitCode: EXIT_CODES.rejected,
      };
    default:
      return {
        message: `the provider refused: ${error.error}${detail}`,
        exitCode: EXIT_CODES.rejected,
      };
  }
}

/** The innermost cause's system code or message (e.g. `ECONNREFUSED`): why the network failed. */
function causeDetail(error: Error): string {
  let innermost: Error = error;
  for (let depth = 0; depth < 5 && innermost.cause instanceof Error; depth++)
    innermost = innermost.cause;
  if (innermost === error) return '';
  const code = (innermost as { code?: unknown }).code;
  return ` (${typeof code === 'string' ? code : innermost.message})`;
}
