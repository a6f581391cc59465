/**
 * What a {@link FileTokenStore} reports through its `onEvent` option. Events name the
 * store's own files and folder, never a token or a key: safe to log as they are.
 */
export type FileTokenStoreEvent =
  | PermissionsTightenedEvent
  | PermissionsInsecureEvent
  | FileMovedAsideEvent
  | StaleLockRemovedEvent;

/** A file or folder of the store was readable by others and has been made private. */
export interface PermissionsTightenedEvent {
  type: 'permissions-tightened';
  /** Whether it was the token file or its folder. */
  target: 'file' | 'folder';
  path: string;
  /** The mode it had (e.g. `0o644`). */
  previousMode: number;
  /** The mode it has now: `0o600` for the file, `0o700` for the folder. */
  mode: number;
}

/**
 * The folder is readable by others but was left alone because it is shared (sticky, like
 * `/tmp`) or owned by another user. Give the store a folder of its own.
 */
export interface PermissionsInsecureEvent {
  type: 'permissions-insecure';
  target: 'folder';
  path: string;
  mode: number;
}

/** The token file could not be read as a token document and was renamed, not overwritten. */
export interface FileMovedAsideEvent {
  type: 'file-moved-aside';
  path: string;
  /** Where the unreadable file now is: `<path>.corrupt-<epoch ms>`. */
  movedTo: string;
  reason: 'empty' | 'unparseable' | 'invalid-format';
}

/** A lock left by a holder that crashed or overran its time was removed. */
export interface StaleLockRemovedEvent {
  type: 'stale-lock-removed';
  /** `token`: a per-key lock of `acquireLock`; `write`: the store's internal write lock. */
  lock: 'token' | 'write';
  path: string;
}
