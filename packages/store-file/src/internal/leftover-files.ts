import { readdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { TEMP_SUFFIX } from './atomic-write.js';
import {
  CLAIM_SUFFIX,
  DRAFT_SUFFIX,
  isStale,
  type LockFileOptions,
  RELEASE_SUFFIX,
  readLockFile,
  removeLockFileIf,
} from './lock-file.js';
import { holderLiveness } from './process-identity.js';

/** Settings of {@link removeLeftovers}. */
export interface LeftoverOptions extends LockFileOptions {
  /** Also remove every temporary write (`.tmp`): only while holding the write lock. */
  temporaryWrites: boolean;
}

/** Leftovers of a process whose liveness cannot be judged (another host, an older release). */
const ABANDONED_AFTER_MS = 60_000;
/** `<uuid>.<host tag>-<pid>-<process start>.draft|.release`: see `fileTagOf`. */
const TAGGED = /\.([0-9a-f]{8})-(\d+)-(\d+)\.(?:draft|release)$/;

/**
 * Removes what killed processes left beside the token file: temporary writes (with
 * `temporaryWrites`, under the write lock, when no other writer has one in flight); lock
 * drafts and released locks of processes of this machine that no longer run, at once (their
 * names carry their creator), and others once a minute old; and claims (the right to take
 * over a stale lock) whose holder is gone or past its time. A running process's files stay.
 * It never fails: what it cannot list or remove is left for the next writer.
 *
 * @param path - The token file.
 * @param options - This process, the clock, the TTL for claims, `temporaryWrites`.
 */
export async function removeLeftovers(path: string, options: LeftoverOptions): Promise<void> {
  const folder = dirname(path);
  const prefix = `${basename(path)}.`;
  // Best effort, like each removal below: a lock just taken or a write about to be made must
  // not fail because the folder could not be listed.
  const listed = await readdir(folder).catch(() => []);
  const names = listed.filter((name) => name.startsWith(prefix));
  await Promise.all(
    names.map(async (name) => {
      const leftover = join(folder, name);
      try {
        if (name.endsWith(TEMP_SUFFIX)) {
          if (options.temporaryWrites) await unlink(leftover);
        } else if (name.endsWith(CLAIM_SUFFIX)) {
          const claim = await readLockFile(leftover);
          if (claim && (await isStale(claim, options))) {
            await removeLockFileIf(leftover, claim.identity, options.self);
          }
        } else if (name.endsWith(DRAFT_SUFFIX) || name.endsWith(RELEASE_SUFFIX)) {
          if (await isAbandoned(leftover, name, options)) await unlink(leftover);
        }
      } catch {
        // Already gone, or not ours to remove: left for the next writer.
      }
    }),
  );
}

async function isAbandoned(path: string, name: string, options: LeftoverOptions): Promise<boolean> {
  const tag = TAGGED.exec(name);
  const self = options.self;
  if (tag && self.fileTag.startsWith(`${tag[1]}-`)) {
    const creator = { ...self, pid: Number(tag[2]), processStart: tag[3] };
    if (self.processStart === undefined) delete creator.processStart;
    return (await holderLiveness(creator, self)) === 'gone';
  }
  return (await stat(path)).ctimeMs + ABANDONED_AFTER_MS <= options.now();
}
