import { randomUUID } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { isCode } from './fs-errors.js';

/** What a lock file holds: who owns it and until when. No token, no key. */
interface LockRecord {
  owner: string;
  pid: number;
  host: string;
  expiresAt: number;
}

/** A lock file this process created: enough to recognise it again before removing it. */
export interface HeldLockFile {
  readonly path: string;
  readonly identity: LockFileIdentity;
}

/** The inode and exact content of a lock file, so a lock replaced since is never removed. */
interface LockFileIdentity {
  ino: number;
  content: string;
}

/** Settings of {@link tryCreateLockFile}. */
export interface LockFileOptions {
  /** How long the lock is held at most, in ms. */
  ttlMs: number;
  /** The clock (epoch ms). */
  now: () => number;
  /** Also treat a lock as stale when its holder, on this host, is no longer running. */
  staleWhenHolderGone: boolean;
  /** Told when a stale lock was removed. */
  onStaleRemoved: () => void;
}

const CREATE_ATTEMPTS = 3;
/** A lock record being written, before it is linked into place. */
export const DRAFT_SUFFIX = '.draft';
/** A lock file renamed aside to be checked before removal. */
export const RELEASE_SUFFIX = '.release';

/**
 * Creates the lock file at `path` exclusively (it must not exist), holding a random owner
 * id and an expiry. A lock past its expiry (or, with `staleWhenHolderGone`, left by a dead
 * process of this host) is stale: it is removed and creation is tried again.
 *
 * @returns The held lock, or `undefined` when another live holder has it.
 */
export async function tryCreateLockFile(
  path: string,
  options: LockFileOptions,
): Promise<HeldLockFile | undefined> {
  for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
    const held = await createExclusive(path, options);
    if (held) return held;
    const stale = await staleIdentity(path, options);
    if (stale === 'held') return undefined;
    if (stale !== 'gone' && (await removeLockFileIf(path, stale))) options.onStaleRemoved();
  }
  return undefined;
}

/**
 * Removes the lock file at `path` only if it is still the one described by `identity`:
 * it is first renamed aside (atomic), checked, and put back if it turned out to be a
 * lock another holder has taken since. So a holder never frees a lock it does not own.
 *
 * @returns Whether the lock file was removed.
 */
export async function removeLockFileIf(path: string, identity: LockFileIdentity): Promise<boolean> {
  const aside = `${path}.${randomUUID()}${RELEASE_SUFFIX}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return false;
    throw error;
  }
  const [moved, content] = await Promise.all([stat(aside), readFile(aside, 'utf8')]);
  if (moved.ino === identity.ino && content === identity.content) {
    await unlink(aside);
    return true;
  }
  try {
    await link(aside, path);
  } catch (error) {
    // A newer holder already created the lock again: theirs stands.
    if (!isCode(error, 'EEXIST')) throw error;
  }
  await unlink(aside);
  return false;
}

/**
 * Creates the lock file with its content already in it: the record is written to a draft
 * file, then hard-linked to `path` (which fails if `path` exists). So no holder ever sees
 * a lock file half written, even if its creator was killed while writing it.
 */
async function createExclusive(
  path: string,
  options: LockFileOptions,
): Promise<HeldLockFile | undefined> {
  const record: LockRecord = {
    owner: randomUUID(),
    pid: process.pid,
    host: hostname(),
    expiresAt: options.now() + options.ttlMs,
  };
  const content = JSON.stringify(record);
  const draft = `${path}.${randomUUID()}${DRAFT_SUFFIX}`;
  try {
    const handle = await open(draft, 'wx', 0o600);
    let ino: number;
    try {
      await handle.writeFile(content, 'utf8');
      ino = (await handle.stat()).ino;
    } finally {
      await handle.close();
    }
    await link(draft, path);
    return { path, identity: { ino, content } };
  } catch (error) {
    if (isCode(error, 'EEXIST')) return undefined;
    throw error;
  } finally {
    await unlink(draft).catch(() => {});
  }
}

/** `'held'` for a live lock, `'gone'` when it vanished, else the identity of a stale one. */
async function staleIdentity(
  path: string,
  options: LockFileOptions,
): Promise<LockFileIdentity | 'held' | 'gone'> {
  let content: string;
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    [info, content] = await Promise.all([stat(path), readFile(path, 'utf8')]);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return 'gone';
    throw error;
  }
  const record = parseRecord(content);
  const now = options.now();
  const stale = record
    ? record.expiresAt <= now || (options.staleWhenHolderGone && isHolderGone(record))
    : // Not a lock record (locks are linked in whole): stale once older than the TTL.
      info.mtimeMs + options.ttlMs <= now;
  return stale ? { ino: info.ino, content } : 'held';
}

function parseRecord(content: string): LockRecord | undefined {
  try {
    const value = JSON.parse(content) as Partial<LockRecord>;
    if (
      typeof value?.owner === 'string' &&
      typeof value.pid === 'number' &&
      typeof value.host === 'string' &&
      typeof value.expiresAt === 'number'
    ) {
      return value as LockRecord;
    }
  } catch {
    // fall through: not a lock record
  }
  return undefined;
}

function isHolderGone(record: LockRecord): boolean {
  if (record.host !== hostname() || record.pid === process.pid) return false;
  try {
    process.kill(record.pid, 0);
    return false;
  } catch (error) {
    return isCode(error, 'ESRCH');
  }
}
