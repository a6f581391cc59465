import { setTimeout as sleep } from 'node:timers/promises';
import { TokenStoreError, type TokenStoreErrorFields } from '@auth/core';
import { type Backoff, backoffMs } from '@auth/core/internal';
import { removeLockFileIf, tryCreateLockFile } from './lock-file.js';
import type { OwnIdentity } from './process-identity.js';

/** Settings of {@link withWriteLock}. */
export interface WriteLockOptions {
  /** The lock file: `<token file>.lock`. */
  lockPath: string;
  /** How long to wait for another writer before giving up, in ms. */
  timeoutMs: number;
  operation: NonNullable<TokenStoreErrorFields['operation']>;
  now: () => number;
  /** This process, recorded as the holder. */
  self: OwnIdentity;
  onStaleRemoved: () => void;
}

/**
 * A read-modify-write of the token file takes milliseconds; a holder that overran this is
 * stuck, and its lock is broken. A holder that died on this host is detected at once.
 */
const WRITE_LOCK_TTL_MS = 10_000;
/** The pauses between tries while another writer holds the lock: 2 ms, doubling up to 50 ms. */
const PAUSES: Backoff = { firstMs: 2, maxMs: 50 };

/**
 * Runs `work` while holding the store's write lock, a lock file distinct from the per-key
 * token locks, so read-modify-write cycles of processes sharing the file never interleave
 * and no writer loses another's entries.
 *
 * @throws {TokenStoreError} No lock within `timeoutMs`; or what `work` or the file system threw.
 */
export async function withWriteLock<T>(
  options: WriteLockOptions,
  work: () => Promise<T>,
): Promise<T> {
  const lockOptions = {
    ttlMs: WRITE_LOCK_TTL_MS,
    now: options.now,
    self: options.self,
    onStaleRemoved: options.onStaleRemoved,
  };
  let waitedMs = 0;
  let tries = 0;
  let held = await tryCreateLockFile(options.lockPath, lockOptions);
  while (!held) {
    if (waitedMs >= options.timeoutMs) {
      throw new TokenStoreError(
        `timed out after ${options.timeoutMs} ms waiting for the write lock ${options.lockPath}`,
        { operation: options.operation },
      );
    }
    const pauseMs = backoffMs(++tries, PAUSES);
    await sleep(pauseMs);
    waitedMs += pauseMs;
    held = await tryCreateLockFile(options.lockPath, lockOptions);
  }
  try {
    return await work();
  } finally {
    // A write lock that cannot be removed lapses after WRITE_LOCK_TTL_MS.
    await removeLockFileIf(held.path, held.identity, options.self).catch(() => {});
  }
}
