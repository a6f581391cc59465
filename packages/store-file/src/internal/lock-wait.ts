import { readFile, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { isCode } from './fs-errors.js';
import { isStale, type LockFileOptions, readLockFile } from './lock-file.js';
import { parseDocument } from './token-document.js';

/** Settings of {@link waitForLockChange}. */
export interface LockWaitOptions extends LockFileOptions {
  /** The key's lock file. */
  lockPath: string;
  /** The token file. */
  tokenPath: string;
  /** The key whose entry is awaited: writes of other keys wake nobody. */
  key: string;
  /** Give up after this long, in ms (a duration, timed by the event loop, not by `now`). */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** How often a waiter looks at the lock and its holder: a check is a `stat` or two. */
const CHECK_INTERVAL_MS = 20;

/**
 * Resolves once the key's lock may be free or its token may have landed: the lock file is
 * gone or replaced, the key's entry in the token file changed, or the lock went stale (its
 * holder on this machine died, or it expired), so the caller can take it over at once. It
 * looks every {@link CHECK_INTERVAL_MS}, so a caller that loops never spins. Also resolves
 * after `timeoutMs` or when `signal` aborts.
 *
 * @throws The file-system error of a failed check.
 */
export async function waitForLockChange(options: LockWaitOptions): Promise<void> {
  const lock = await readLockFile(options.lockPath);
  if (!lock) return;
  let tokenVersion = await fileVersion(options.tokenPath);
  const entry = await entryOf(options.tokenPath, options.key);
  const startedAt = performance.now();
  for (;;) {
    const leftMs = options.timeoutMs - (performance.now() - startedAt);
    if (leftMs <= 0 || options.signal?.aborted) return;
    await sleep(Math.min(CHECK_INTERVAL_MS, leftMs), undefined, { signal: options.signal }).catch(
      () => {},
    );
    if (options.signal?.aborted) return;
    const current = await readLockFile(options.lockPath);
    if (!current || current.identity.content !== lock.identity.content) return;
    if (current.identity.ino !== lock.identity.ino) return;
    // A damaged lock file is left to acquireLock's own TTL rule: no early wake-ups for it.
    if (current.record && (await isStale(current, options))) return;
    const currentVersion = await fileVersion(options.tokenPath);
    if (currentVersion === tokenVersion) continue;
    tokenVersion = currentVersion;
    // Another key's write does not wake the waiter: each wake-up costs a TokenManager part of
    // its waiting budget.
    if ((await entryOf(options.tokenPath, options.key)) !== entry) return;
  }
}

/** Changes whenever the token file is replaced (every write renames a new file in). */
async function fileVersion(path: string): Promise<string> {
  try {
    const info = await stat(path);
    return `${info.ino}:${info.mtimeMs}:${info.size}`;
  } catch (error) {
    if (isCode(error, 'ENOENT')) return 'none';
    throw error;
  }
}

/** The raw stored entry of `key`, as JSON text; `none` without one or a readable file. */
async function entryOf(path: string, key: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return 'none';
    throw error;
  }
  const parsed = parseDocument(text);
  if (parsed.kind !== 'document') return parsed.kind;
  return JSON.stringify(parsed.document.entries.get(key) ?? null);
}
