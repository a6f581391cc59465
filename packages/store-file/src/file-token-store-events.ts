/**
 * What a {@link FileTokenStore} reports through its `onEvent` option. Events name the
 * store's own files and folder, never a token or a key: safe to log as they are.
 *
 * @example
 * ```ts
 * import { FileTokenStore } from '@auth/store-file';
 *
 * const store = new FileTokenStore({
 *   onEvent: (event) => {
 *     if (event.type === 'file-moved-aside') console.warn(`unreadable token file kept at ${event.movedTo}`);
 *   },
 * });
 * ```
 */
export type FileTokenStoreEvent =
  | PermissionsTightenedEvent
  | PermissionsInsecureEvent
  | FileMovedAsideEvent
  | StaleLockRemovedEvent;

/**
 * A file or folder of the store was open to others and has been made private.
 *
 * @example
 * ```ts
 * import type { PermissionsTightenedEvent } from '@auth/store-file';
 *
 * const event: PermissionsTightenedEvent = { type: 'permissions-tightened', target: 'file', path: '/home/ada/.local/state/my-cli/tokens.json', previousMode: 0o644, mode: 0o600 };
 * ```
 */
export interface PermissionsTightenedEvent {
  /** Marks a file or folder made private. */
  type: 'permissions-tightened';
  /** Whether it was the token file or its folder. */
  target: 'file' | 'folder';
  /** The absolute path of the file or folder. */
  path: string;
  /** The mode it had (e.g. `0o644`). */
  previousMode: number;
  /** The mode it has now: `0o600` for the file, `0o700` for the folder. */
  mode: number;
}

/**
 * A folder open to others was left alone because it is shared (sticky, like `/tmp`) or
 * owned by another user, or a file open to others could not be tightened (a read-only
 * file system). Give the store a folder of its own.
 *
 * @example
 * ```ts
 * import type { PermissionsInsecureEvent } from '@auth/store-file';
 *
 * const event: PermissionsInsecureEvent = { type: 'permissions-insecure', target: 'folder', path: '/tmp', mode: 0o1777 };
 * ```
 */
export interface PermissionsInsecureEvent {
  /** Marks a file or folder left open to others. */
  type: 'permissions-insecure';
  /** Whether it is the token file or its folder. */
  target: 'file' | 'folder';
  /** The absolute path of the file or folder. */
  path: string;
  /** The mode it still has (e.g. `0o1777`). */
  mode: number;
}

/**
 * The token file could not be read as a token document and was renamed, not overwritten.
 *
 * @example
 * ```ts
 * import type { FileMovedAsideEvent } from '@auth/store-file';
 *
 * const event: FileMovedAsideEvent = { type: 'file-moved-aside', path: '/…/tokens.json', movedTo: '/…/tokens.json.corrupt-1767225600000', reason: 'unparseable' };
 * ```
 */
export interface FileMovedAsideEvent {
  /** Marks an unreadable token file set aside. */
  type: 'file-moved-aside';
  /** The token file's path. */
  path: string;
  /** Where the unreadable file now is: `<path>.corrupt-<epoch ms>`. */
  movedTo: string;
  /**
   * Why it could not be read: `empty` (blank), `unparseable` (not JSON) or
   * `invalid-format` (JSON, but not a token document this version reads).
   */
  reason: 'empty' | 'unparseable' | 'invalid-format';
}

/**
 * A lock left by a holder that crashed or overran its time was removed.
 *
 * @example
 * ```ts
 * import type { StaleLockRemovedEvent } from '@auth/store-file';
 *
 * const event: StaleLockRemovedEvent = { type: 'stale-lock-removed', lock: 'token', path: '/…/tokens.json.3f9a0c1b2d4e5f60.lock' };
 * ```
 */
export interface StaleLockRemovedEvent {
  /** Marks a stale lock removed. */
  type: 'stale-lock-removed';
  /** `token`: a per-key lock of `acquireLock`; `write`: the store's internal write lock. */
  lock: 'token' | 'write';
  /** The removed lock file's path. */
  path: string;
}
