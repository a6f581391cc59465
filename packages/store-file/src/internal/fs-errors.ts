import { TokenStoreError, type TokenStoreErrorFields } from '@auth/core';

type StoreOperation = NonNullable<TokenStoreErrorFields['operation']>;

/** Whether `error` is a Node system error with this `code` (`ENOENT`, `EEXIST`, …). */
export function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}

/**
 * Wraps a file-system failure in a {@link TokenStoreError} naming the operation, the file
 * and the system error code (never a token: the store's files are the only paths named).
 */
export function fileStoreError(
  what: string,
  operation: StoreOperation,
  cause: unknown,
): TokenStoreError {
  if (TokenStoreError.isInstance(cause)) {
    if (cause.operation !== undefined) return cause;
    return new TokenStoreError(cause.message, { operation, cause });
  }
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const reason = code ? ` (${code}${describeCode(code)})` : '';
  return new TokenStoreError(`${what}${reason}`, { operation, cause });
}

const CODE_HINTS: Record<string, string> = {
  ENOSPC: ': the disk is full',
  EDQUOT: ': the disk quota is exhausted',
  EFBIG: ': the file size limit was reached',
  EROFS: ': the file system is read-only',
  EACCES: ': permission denied',
  EPERM: ': operation not permitted',
  ENOTDIR: ': a part of the path is not a folder',
  EISDIR: ': the path is a folder',
};

function describeCode(code: string): string {
  return CODE_HINTS[code] ?? '';
}
