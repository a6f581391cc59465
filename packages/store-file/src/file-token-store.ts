import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  type SealedRecord,
  sealedRecord,
  type TokenLock,
  type TokenSet,
  type TokenStore,
  TokenStoreError,
  type TokenStoreErrorFields,
  type WaitForUpdateOptions,
} from '@auth/core';
import { fingerprint, inspectSymbol } from '@auth/core/internal';
import { defaultTokenFilePath } from './default-token-file-path.js';
import type { FileTokenStoreEvent } from './file-token-store-events.js';
import type { FileTokenStoreOptions } from './file-token-store-options.js';
import { writeFileAtomically } from './internal/atomic-write.js';
import { fileStoreError, isCode } from './internal/fs-errors.js';
import { removeLeftovers } from './internal/leftover-files.js';
import { type LockFileOptions, removeLockFileIf, tryCreateLockFile } from './internal/lock-file.js';
import { waitForLockChange } from './internal/lock-wait.js';
import { ensurePrivateFolder } from './internal/permissions.js';
import { type OwnIdentity, readOwnIdentity } from './internal/process-identity.js';
import {
  dropLapsedEntries,
  emptyDocument,
  readEntry,
  readSealedEntry,
  serializeDocument,
  type TokenDocument,
} from './internal/token-document.js';
import { TokenFile } from './internal/token-file.js';
import { withWriteLock } from './internal/write-lock.js';

type StoreOperation = NonNullable<TokenStoreErrorFields['operation']>;

const KEY_HASH_LENGTH = 16;

/**
 * A {@link TokenStore} in one JSON file, so a login survives restarts and is shared by the
 * processes of one machine. Every write is atomic (temporary file, `fsync`, rename) and
 * serialised across processes by a write lock, so a crash never tears the file and
 * concurrent writers never lose each other's entries. The file is `0600` in a `0700`
 * folder. `acquireLock` takes a per-key lock file recording its holder: a lock whose holder on
 * this machine died is taken over at once (by exactly one process), any other after its TTL.
 *
 * A file that is not a token document (empty, truncated, garbage, an unknown format) is
 * renamed to `<path>.corrupt-<epoch ms>` and reported through `onEvent`, never overwritten.
 * A file of a newer format version, a path that is a folder, or a failing disk
 * (read-only, full) is a {@link TokenStoreError}.
 *
 * `getSealed`/`setSealed` keep a wrapper's opaque record (e.g. `encryptedStore`'s ciphertext)
 * as the entry of its key, with the same atomic writes, expiry rule, locks and wake-ups.
 *
 * @example
 * ```ts
 * import { TokenManager, type TokenProvider } from '@auth/core';
 * import { FileTokenStore } from '@auth/store-file';
 *
 * declare const provider: TokenProvider; // e.g. deviceAuthorization(…) from @auth/oauth
 * const store = new FileTokenStore({ appName: 'my-cli', onEvent: (e) => console.warn(e.type, e.path) });
 * const manager = new TokenManager({ provider, store });
 * ```
 */
export class FileTokenStore implements TokenStore {
  readonly #path: string;
  readonly #folder: string;
  readonly #writeLockTimeoutMs: number;
  readonly #now: () => number;
  readonly #onEvent: ((event: FileTokenStoreEvent) => void) | undefined;
  readonly #file: TokenFile;
  #self: Promise<OwnIdentity> | undefined;

  /**
   * @param options - See {@link FileTokenStoreOptions}.
   * @throws {TypeError} An empty `path`, an invalid `appName` or a negative timeout.
   */
  constructor(options: FileTokenStoreOptions = {}) {
    if (options.path !== undefined && (typeof options.path !== 'string' || options.path === '')) {
      throw new TypeError('FileTokenStore path must be a non-empty string');
    }
    const timeoutMs = options.writeLockTimeoutMs ?? 10_000;
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
      throw new TypeError('writeLockTimeoutMs must be a non-negative number of milliseconds');
    }
    this.#path = resolve(
      options.path ?? defaultTokenFilePath({ appName: options.appName, env: options.env }),
    );
    this.#folder = dirname(this.#path);
    this.#writeLockTimeoutMs = timeoutMs;
    this.#now = options.now ?? Date.now;
    this.#onEvent = options.onEvent;
    this.#file = new TokenFile(this.#path, this.#now, this.#report);
  }

  /** The absolute path of the token file. */
  get path(): string {
    return this.#path;
  }

  /**
   * Reads the tokens stored under `key`. Entries past `keepUntil` read as absent.
   *
   * @param key - The store key (a provider's `cacheKey`).
   * @returns The tokens, or `undefined` when none.
   * @throws {TypeError} An empty key.
   * @throws {TokenStoreError} The file cannot be read, is a folder, is of a newer format,
   *   or holds a malformed entry or a sealed record (`found: 'sealed'`) for `key`.
   */
  async get(key: string): Promise<TokenSet | undefined> {
    return this.#read(key, readEntry);
  }

  /**
   * Reads the record stored under `key` with {@link FileTokenStore.setSealed}. Records past
   * their `keepUntil` read as absent.
   *
   * @param key - The store key.
   * @returns The record, or `undefined` when none.
   * @throws {TypeError} An empty key.
   * @throws {TokenStoreError} As `get`; and when the key holds tokens (`found: 'tokens'`).
   * @example
   * ```ts
   * import { FileTokenStore } from '@auth/store-file';
   *
   * const store = new FileTokenStore({ appName: 'my-cli' });
   * const record = await store.getSealed('svc'); // { data, keepUntil } or undefined
   * ```
   */
  async getSealed(key: string): Promise<SealedRecord | undefined> {
    return this.#read(key, readSealedEntry);
  }

  /**
   * Stores `tokens` under `key`, keeping every other entry; entries past `keepUntil` are
   * dropped on the way.
   *
   * @param key - The store key.
   * @param tokens - The tokens, persisted with `tokens.serialize()`.
   * @throws {TypeError} An empty key, or `tokens` that is not a `TokenSet`.
   * @throws {TokenStoreError} The write failed (read-only folder, full disk, …); the file
   *   is left as it was.
   */
  async set(key: string, tokens: TokenSet): Promise<void> {
    checkKey(key);
    if (typeof tokens?.serialize !== 'function') {
      throw new TypeError('FileTokenStore.set needs a TokenSet');
    }
    await this.#update('set', (document) => {
      document.entries.set(key, tokens.serialize());
      return true;
    });
  }

  /**
   * Stores an opaque record under `key` (the file holds it as `{ "data", "keepUntil" }`), as
   * atomically as `set`, keeping every other entry; it lapses at `record.keepUntil`.
   * Waiters on `key` wake as they do for tokens.
   *
   * @param key - The store key.
   * @param record - The record, e.g. what `encryptedStore` seals.
   * @throws {TypeError} An empty key, or `record` that is not a `SealedRecord`.
   * @throws {TokenStoreError} The write failed; the file is left as it was.
   * @example
   * ```ts
   * import { FileTokenStore } from '@auth/store-file';
   *
   * const store = new FileTokenStore({ appName: 'my-cli' });
   * await store.setSealed('svc', { data: 'opaque', keepUntil: Date.now() + 3_600_000 });
   * ```
   */
  async setSealed(key: string, record: SealedRecord): Promise<void> {
    checkKey(key);
    const copy = sealedRecord(record);
    await this.#update('set', (document) => {
      document.entries.set(key, copy);
      return true;
    });
  }

  /**
   * Removes the tokens stored under `key`. A missing file stays missing.
   *
   * @param key - The store key.
   * @throws {TypeError} An empty key.
   * @throws {TokenStoreError} The write failed.
   */
  async delete(key: string): Promise<void> {
    checkKey(key);
    try {
      await stat(this.#path);
    } catch (error) {
      if (isCode(error, 'ENOENT')) return;
      throw fileStoreError(`could not read the token file ${this.#path}`, 'delete', error);
    }
    await this.#update('delete', (document) => document.entries.delete(key));
  }

  /**
   * Takes the lock for `key` for at most `ttlMs`: a lock file `<path>.<hash of key>.lock`
   * created exclusively, recording its holder (pid, process start time where `/proc` has it,
   * host name, boot id, pid namespace) and its expiry. A lock whose holder on this machine no
   * longer runs (killed, or its pid now belongs to another process) is taken over at once; a
   * lock past its expiry (a holder on another host, or one that overran) likewise. Of several
   * processes taking over together exactly one gets the lock. `release()` frees it only while
   * this holder still owns it. Taking a lock also removes what dead processes left around it.
   *
   * @param key - The store key.
   * @param ttlMs - How long the lock holds at most.
   * @returns The lock, or `undefined` when another holder has it.
   * @throws {TypeError} An empty key, or a `ttlMs` that is not a positive number.
   * @throws {TokenStoreError} The lock file could not be created or read.
   */
  async acquireLock(key: string, ttlMs: number): Promise<TokenLock | undefined> {
    checkKey(key);
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
      throw new TypeError('ttlMs must be a positive number of milliseconds');
    }
    const lockPath = this.#lockPathOf(key);
    try {
      await ensurePrivateFolder(this.#folder, this.#report);
      const options = await this.#lockOptions(ttlMs, lockPath);
      const held = await tryCreateLockFile(lockPath, options);
      if (!held) return undefined;
      await removeLeftovers(this.#path, { ...options, temporaryWrites: false });
      return {
        release: async () => {
          try {
            await removeLockFileIf(held.path, held.identity, options.self);
          } catch (error) {
            throw fileStoreError(`could not release the lock ${lockPath}`, 'unlock', error);
          }
        },
      };
    } catch (error) {
      throw fileStoreError(`could not take the lock ${lockPath}`, 'lock', error);
    }
  }

  /**
   * Waits until the lock of `key` may be free or its tokens may have landed: the lock file is
   * removed or replaced, the key's entry in the token file changes, or the lock's holder on this
   * machine dies (so
   * a waiting `TokenManager` takes the lock over within a few tens of ms, not after
   * `lockTtlMs`). It checks a few `stat`s every 20 ms; this works on network folders too.
   *
   * @param key - The store key.
   * @param options - `timeoutMs`, the longest wait, and `signal`, which ends it early.
   * @returns Once something changed, the time is up or `signal` aborted.
   * @throws {TypeError} An empty key.
   * @throws {TokenStoreError} The lock or token file could not be read.
   */
  async waitForUpdate(key: string, options: WaitForUpdateOptions): Promise<void> {
    checkKey(key);
    const lockPath = this.#lockPathOf(key);
    try {
      await waitForLockChange({
        ...(await this.#lockOptions(1, lockPath)),
        lockPath,
        tokenPath: this.#path,
        key,
        timeoutMs: options.timeoutMs,
        signal: options.signal,
      });
    } catch (error) {
      throw fileStoreError(`could not watch the lock ${lockPath}`, 'wait', error);
    }
  }

  /**
   * A summary without tokens: the kind of store and its file.
   *
   * @returns `{ type: 'file', path }`.
   */
  toJSON(): {
    /** Which kind of store this is: `file`. */
    type: 'file';
    /** The token file's absolute path. */
    path: string;
  } {
    return { type: 'file', path: this.#path };
  }

  /**
   * What `util.inspect` shows: the summary, no tokens.
   *
   * @returns `FileTokenStore {"type":"file","path":…}`.
   */
  [inspectSymbol](): string {
    return `FileTokenStore ${JSON.stringify(this.toJSON())}`;
  }

  /** Reads the document (moving a corrupt file aside) and the entry of `key` in it. */
  async #read<T>(
    key: string,
    readFrom: (document: TokenDocument, key: string, now: number) => T | undefined,
  ): Promise<T | undefined> {
    checkKey(key);
    try {
      const parsed = await this.#file.readParsed();
      const document =
        parsed?.kind === 'corrupt'
          ? await this.#withWriteLock('get', () => this.#file.readForWrite())
          : parsed?.document;
      return document && readFrom(document, key, this.#now());
    } catch (error) {
      throw fileStoreError(`could not read the token file ${this.#path}`, 'get', error);
    }
  }

  /** Read-modify-write under the write lock; writes only when `change` changed something. */
  async #update(
    operation: StoreOperation,
    change: (document: TokenDocument) => boolean,
  ): Promise<void> {
    try {
      await ensurePrivateFolder(this.#folder, this.#report);
      await this.#withWriteLock(operation, async () => {
        await removeLeftovers(this.#path, {
          ...(await this.#lockOptions(1, `${this.#path}.lock`)),
          temporaryWrites: true,
        });
        const document = (await this.#file.readForWrite()) ?? emptyDocument();
        const dropped = dropLapsedEntries(document, this.#now());
        if (change(document) || dropped) {
          await writeFileAtomically(this.#path, serializeDocument(document));
        }
      });
    } catch (error) {
      throw fileStoreError(`could not write the token file ${this.#path}`, operation, error);
    }
  }

  async #withWriteLock<T>(operation: StoreOperation, work: () => Promise<T>): Promise<T> {
    const lockPath = `${this.#path}.lock`;
    return withWriteLock(
      {
        lockPath,
        timeoutMs: this.#writeLockTimeoutMs,
        operation,
        now: this.#now,
        self: await this.#identity(),
        onStaleRemoved: () =>
          this.#report({ type: 'stale-lock-removed', lock: 'write', path: lockPath }),
      },
      work,
    );
  }

  #lockPathOf(key: string): string {
    return `${this.#path}.${fingerprint(key, KEY_HASH_LENGTH)}.lock`;
  }

  /** Settings of the key lock at `lockPath`: its TTL, the clock, this process. */
  async #lockOptions(ttlMs: number, lockPath: string): Promise<LockFileOptions> {
    return {
      ttlMs,
      now: this.#now,
      self: await this.#identity(),
      onStaleRemoved: () =>
        this.#report({ type: 'stale-lock-removed', lock: 'token', path: lockPath }),
    };
  }

  /** This process's identity, read once per store. */
  #identity(): Promise<OwnIdentity> {
    this.#self ??= readOwnIdentity();
    return this.#self;
  }

  readonly #report = (event: FileTokenStoreEvent): void => {
    try {
      this.#onEvent?.(event);
    } catch {
      // A failing listener must not break the store.
    }
  };
}

function checkKey(key: string): void {
  if (typeof key !== 'string' || key === '') throw new TypeError('key must be a non-empty string');
}
