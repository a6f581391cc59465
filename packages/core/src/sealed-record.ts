import { TokenStoreError } from './errors.js';
import type { SealedRecord } from './token-store.js';

/**
 * Whether `value` is a {@link SealedRecord}: a plain object with a string `data` and, if
 * present, a finite `keepUntil`, and nothing else (so a serialized `TokenSet` never is one).
 * Stores use it to tell the two kinds of entry apart when reading.
 *
 * @param value - A stored value, e.g. parsed JSON.
 * @returns `true` for a sealed record.
 * @example
 * ```ts
 * import { isSealedRecord } from '@auth/core';
 *
 * declare const text: string; // what the backend held
 * const value: unknown = JSON.parse(text);
 * if (isSealedRecord(value)) console.log(value.keepUntil);
 * ```
 */
export function isSealedRecord(value: unknown): value is SealedRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { data, keepUntil, ...rest } = value as Record<string, unknown>;
  return (
    typeof data === 'string' &&
    (keepUntil === undefined || (typeof keepUntil === 'number' && Number.isFinite(keepUntil))) &&
    Object.keys(rest).length === 0
  );
}

/**
 * Checks a record handed to `setSealed` and copies it: a plain JSON-safe object with no
 * `keepUntil` key when there is no deadline.
 *
 * @param record - What the caller passed.
 * @returns The copy to store.
 * @throws {TypeError} `record` is not a {@link SealedRecord}.
 * @example
 * ```ts
 * import { sealedRecord, type SealedRecord } from '@auth/core';
 *
 * declare const record: SealedRecord;
 * const stored = JSON.stringify(sealedRecord(record));
 * ```
 */
export function sealedRecord(record: SealedRecord): SealedRecord {
  const copy: SealedRecord =
    record?.keepUntil === undefined
      ? { data: record?.data }
      : { data: record.data, keepUntil: record.keepUntil };
  if (!isSealedRecord(copy)) {
    throw new TypeError(
      'a sealed record needs a string `data` and, if any, a finite `keepUntil` (epoch ms)',
    );
  }
  return copy;
}

/**
 * The error of a read that found the other kind of entry under its key: `get` finding a
 * sealed record (`found: 'sealed'`) or `getSealed` finding tokens (`found: 'tokens'`).
 * Neither the message nor the error holds the entry.
 *
 * @param found - What the key holds.
 * @returns A {@link TokenStoreError} with `operation: 'get'` and `found`.
 * @example
 * ```ts
 * import { entryKindError, type SealedRecord, type TokenSet } from '@auth/core';
 *
 * declare const entry: TokenSet | SealedRecord;
 * if ('data' in entry) throw entryKindError('sealed'); // in a store's get
 * ```
 */
export function entryKindError(found: 'tokens' | 'sealed'): TokenStoreError {
  const message =
    found === 'sealed'
      ? 'the key holds a sealed record (written by a wrapper such as encryptedStore), not tokens: read it through that wrapper'
      : 'the key holds tokens, not a sealed record: it was written with set, not setSealed';
  return new TokenStoreError(message, { operation: 'get', found });
}
