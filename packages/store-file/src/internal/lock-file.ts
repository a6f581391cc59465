import { randomUUID } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { fingerprint } from '@auth/core/internal';
import { isCode } from './fs-errors.js';
import { holderLiveness, type OwnIdentity, type ProcessIdentity } from './process-identity.js';

/** What a lock file holds: its holder (see {@link ProcessIdentity}) and until when. No token, no key. */
export interface LockRecord extends ProcessIdentity {
  owner: string;
  expiresAt: number;
}

/** A lock file this process created: enough to recognise it again before removing it. */
export interface HeldLockFile {
  readonly path: string;
  readonly identity: LockFileIdentity;
}

/** The inode and exact content of a lock file, so a lock replaced since is never removed. */
export interface LockFileIdentity {
  ino: number;
  content: string;
}

/** A lock file as read: its identity, its record (if it is one) and when it last changed. */
export interface LockFileState {
  identity: LockFileIdentity;
  record: LockRecord | undefined;
  mtimeMs: number;
}

/** Settings of {@link tryCreateLockFile}. */
export interface LockFileOptions {
  /** How long the lock is held at most, in ms. */
  ttlMs: number;
  /** The clock (epoch ms). */
  now: () => number;
  /** This process, recorded as the holder. */
  self: OwnIdentity;
  /** Told when a stale lock was taken over. */
  onStaleRemoved: () => void;
}

const CREATE_ATTEMPTS = 3;
/** Claims on claims, when the process taking over a lock itself died mid-way. */
const MAX_CLAIM_DEPTH = 4;
const CLAIM_TAG_LENGTH = 16;
/** A lock record being written, before it is linked into place. */
export const DRAFT_SUFFIX = '.draft';
/** A lock file renamed aside to be checked before removal. */
export const RELEASE_SUFFIX = '.release';
/** The right to replace one stale lock file: `<lock>.<tag of the stale file>.claim`. */
export const CLAIM_SUFFIX = '.claim';

/**
 * Creates the lock file at `path` exclusively, recording this process as its holder and an
 * expiry. A lock past its expiry, or whose holder on this machine no longer runs (pid gone
 * or reused), is stale and is taken over at once: atomically, so that of several processes
 * finding it stale together exactly one gets it (see {@link replaceStale}).
 *
 * @returns The held lock, or `undefined` when another live holder has it.
 */
export async function tryCreateLockFile(
  path: string,
  options: LockFileOptions,
): Promise<HeldLockFile | undefined> {
  for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
    const draft = await writeDraft(path, options);
    try {
      if (await linkInto(draft.path, path)) return { path, identity: draft.identity };
      const current = await readLockFile(path);
      if (current === undefined) continue;
      if (!(await isStale(current, options))) return undefined;
      const outcome = await replaceStale(path, path, current, draft.path, options, 0);
      if (outcome === 'busy') return undefined;
      if (outcome === 'replaced') {
        options.onStaleRemoved();
        return { path, identity: draft.identity };
      }
    } finally {
      await unlink(draft.path).catch(() => {});
    }
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
export async function removeLockFileIf(
  path: string,
  identity: LockFileIdentity,
  self: OwnIdentity,
): Promise<boolean> {
  const aside = `${path}.${randomUUID()}.${self.fileTag}${RELEASE_SUFFIX}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return false;
    throw error;
  }
  try {
    const [moved, content] = await Promise.all([stat(aside), readFile(aside, 'utf8')]);
    if (moved.ino === identity.ino && content === identity.content) return true;
    try {
      await link(aside, path);
    } catch (error) {
      // A newer holder already created the lock again: theirs stands.
      if (!isCode(error, 'EEXIST')) throw error;
    }
    return false;
  } finally {
    await unlink(aside);
  }
}

/**
 * Reads a lock file (or claim).
 *
 * @returns Its state, or `undefined` when there is none.
 */
export async function readLockFile(path: string): Promise<LockFileState | undefined> {
  try {
    const [info, content] = await Promise.all([stat(path), readFile(path, 'utf8')]);
    return {
      identity: { ino: info.ino, content },
      record: parseRecord(content),
      mtimeMs: info.mtimeMs,
    };
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}

/**
 * Whether a lock file is stale: past its expiry, or its holder on this machine no longer
 * runs. A file that is not a lock record (locks are put in place whole, so only a foreign
 * or damaged file) is stale once it is older than the TTL.
 */
export async function isStale(state: LockFileState, options: LockFileOptions): Promise<boolean> {
  const now = options.now();
  if (!state.record) return state.mtimeMs + options.ttlMs <= now;
  if (state.record.expiresAt <= now) return true;
  return (await holderLiveness(state.record, options.self)) === 'gone';
}

/**
 * Replaces the stale file `targetPath` (a lock, or a claim on one) by the draft, so that only
 * one process ever does it. A file name cannot be compared and swapped atomically, so the
 * right to replace it is itself taken first: a claim file named after the stale file's
 * content, created exclusively (hard link). Only the claim's holder may replace the stale
 * file, and while it is unchanged nobody else can; it checks it is, renames the draft over
 * it (atomic), and removes the claim. A claim whose own holder died is taken over the same
 * way, one level up.
 *
 * @returns `replaced`; `busy` when a live process is replacing it; `changed` when it changed.
 */
async function replaceStale(
  lockPath: string,
  targetPath: string,
  stale: LockFileState,
  draftPath: string,
  options: LockFileOptions,
  depth: number,
): Promise<'replaced' | 'busy' | 'changed'> {
  if (depth >= MAX_CLAIM_DEPTH) return 'busy';
  const claimPath = `${lockPath}.${claimTag(stale.identity)}${CLAIM_SUFFIX}`;
  const claim = await writeDraft(lockPath, options);
  try {
    if (!(await linkInto(claim.path, claimPath))) {
      const existing = await readLockFile(claimPath);
      if (existing === undefined) return 'changed';
      if (!(await isStale(existing, options))) return 'busy';
      const outcome = await replaceStale(
        lockPath,
        claimPath,
        existing,
        claim.path,
        options,
        depth + 1,
      );
      if (outcome !== 'replaced') return outcome;
    }
    try {
      const current = await readLockFile(targetPath);
      if (!current || !sameIdentity(current.identity, stale.identity)) return 'changed';
      await rename(draftPath, targetPath);
      return 'replaced';
    } finally {
      await unlink(claimPath).catch(() => {});
    }
  } finally {
    await unlink(claim.path).catch(() => {});
  }
}

/** Writes this process's lock record to a fresh draft file beside `path`. */
async function writeDraft(
  path: string,
  options: LockFileOptions,
): Promise<{ path: string; identity: LockFileIdentity }> {
  const { fileTag, ...holder } = options.self;
  const record: LockRecord = {
    owner: randomUUID(),
    ...holder,
    expiresAt: options.now() + options.ttlMs,
  };
  const content = JSON.stringify(record);
  const draftPath = `${path}.${randomUUID()}.${fileTag}${DRAFT_SUFFIX}`;
  const handle = await open(draftPath, 'wx', 0o600);
  try {
    await handle.writeFile(content, 'utf8');
    return { path: draftPath, identity: { ino: (await handle.stat()).ino, content } };
  } catch (error) {
    await unlink(draftPath).catch(() => {});
    throw error;
  } finally {
    await handle.close();
  }
}

/** Hard-links `draftPath` to `path`, which fails if `path` exists: `false` then. */
async function linkInto(draftPath: string, path: string): Promise<boolean> {
  try {
    await link(draftPath, path);
    return true;
  } catch (error) {
    if (isCode(error, 'EEXIST')) return false;
    throw error;
  }
}

function sameIdentity(a: LockFileIdentity, b: LockFileIdentity): boolean {
  return a.ino === b.ino && a.content === b.content;
}

/** A file-name-safe tag of one version of a file (the content alone may repeat: not the inode too). */
function claimTag(identity: LockFileIdentity): string {
  return fingerprint(`${identity.ino}\n${identity.content}`, CLAIM_TAG_LENGTH);
}

function parseRecord(content: string): LockRecord | undefined {
  try {
    const value = JSON.parse(content) as Partial<LockRecord>;
    if (
      typeof value?.owner === 'string' &&
      typeof value.pid === 'number' &&
      typeof value.host === 'string' &&
      typeof value.expiresAt === 'number' &&
      optionalString(value.processStart) &&
      optionalString(value.bootId) &&
      optionalString(value.pidNamespace)
    ) {
      return value as LockRecord;
    }
  } catch {
    // fall through: not a lock record
  }
  return undefined;
}

function optionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}
