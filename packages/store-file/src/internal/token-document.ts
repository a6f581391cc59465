import {
  entryKindError,
  isSealedRecord,
  keepUntil,
  type SealedRecord,
  TokenSet,
  TokenStoreError,
} from '@auth/core';

/** The version of the document format this package reads and writes. */
export const DOCUMENT_VERSION = 1;

/**
 * The token file in memory: `{ "version": 1, "entries": { "<key>": <TokenSet.serialize()> } }`;
 * an entry written with `setSealed` is the sealed record itself (`{ "data", "keepUntil"? }`).
 * Entries are kept as the raw JSON values read, so an entry this version cannot read is
 * written back untouched rather than lost.
 */
export interface TokenDocument {
  entries: Map<string, unknown>;
}

/** Why a file is not a token document (it is then moved aside). */
export type CorruptionReason = 'empty' | 'unparseable' | 'invalid-format';

/** What {@link parseDocument} found. */
export type ParsedDocument =
  | { kind: 'document'; document: TokenDocument }
  | { kind: 'corrupt'; reason: CorruptionReason }
  | { kind: 'newer'; version: number };

/** An empty document, for a store whose file does not exist yet. */
export function emptyDocument(): TokenDocument {
  return { entries: new Map() };
}

/**
 * Reads the text of a token file. A version newer than {@link DOCUMENT_VERSION} is reported
 * as `newer` (a newer release wrote it: leave it alone); anything else that is not a
 * document of this version is `corrupt`.
 */
export function parseDocument(text: string): ParsedDocument {
  if (text.trim() === '') return { kind: 'corrupt', reason: 'empty' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'corrupt', reason: 'unparseable' };
  }
  if (!isPlainObject(value)) return { kind: 'corrupt', reason: 'invalid-format' };
  const { version, entries } = value;
  if (typeof version === 'number' && Number.isInteger(version) && version > DOCUMENT_VERSION) {
    return { kind: 'newer', version };
  }
  if (version !== DOCUMENT_VERSION || !isPlainObject(entries)) {
    return { kind: 'corrupt', reason: 'invalid-format' };
  }
  return { kind: 'document', document: { entries: new Map(Object.entries(entries)) } };
}

/** The file text of `document`. */
export function serializeDocument(document: TokenDocument): string {
  return `${JSON.stringify({ version: DOCUMENT_VERSION, entries: Object.fromEntries(document.entries) })}\n`;
}

/**
 * The tokens stored under `key`, or `undefined` when absent or past {@link keepUntil}.
 *
 * @throws {TokenStoreError} The entry is malformed (`cause`: the `TokenSetFormatError`), or
 *   is a sealed record (`found: 'sealed'`).
 */
export function readEntry(document: TokenDocument, key: string, now: number): TokenSet | undefined {
  const entry = liveEntry(document, key, now);
  if (entry?.kind === 'sealed') throw entryKindError('sealed');
  return entry?.tokens;
}

/**
 * The sealed record stored under `key`, or `undefined` when absent or past its `keepUntil`.
 *
 * @throws {TokenStoreError} The entry is malformed, or holds tokens (`found: 'tokens'`).
 */
export function readSealedEntry(
  document: TokenDocument,
  key: string,
  now: number,
): SealedRecord | undefined {
  const entry = liveEntry(document, key, now);
  if (entry?.kind === 'tokens') throw entryKindError('tokens');
  return entry?.record;
}

/**
 * Drops the entries past their {@link keepUntil} (tokens) or `keepUntil` (sealed records);
 * entries that cannot be read are kept as they are (their owner replaces them on its next
 * write).
 *
 * @returns Whether any entry was dropped.
 */
export function dropLapsedEntries(document: TokenDocument, now: number): boolean {
  let dropped = false;
  for (const [key, value] of document.entries) {
    let entry: Entry;
    try {
      entry = parseEntry(value);
    } catch {
      continue;
    }
    if (!isKept(entry.until, now)) {
      document.entries.delete(key);
      dropped = true;
    }
  }
  return dropped;
}

/** A stored entry read back, and when it lapses (epoch ms; `undefined`: never). */
type Entry =
  | { kind: 'tokens'; tokens: TokenSet; until: number | undefined }
  | { kind: 'sealed'; record: SealedRecord; until: number | undefined };

/** The entry of `key` unless absent or lapsed. */
function liveEntry(document: TokenDocument, key: string, now: number): Entry | undefined {
  if (!document.entries.has(key)) return undefined;
  const entry = parseEntry(document.entries.get(key));
  return isKept(entry.until, now) ? entry : undefined;
}

/** @throws {TokenStoreError} Neither a sealed record nor a serialized TokenSet. */
function parseEntry(value: unknown): Entry {
  if (isSealedRecord(value)) return { kind: 'sealed', record: value, until: value.keepUntil };
  let tokens: TokenSet;
  try {
    tokens = TokenSet.deserialize(value);
  } catch (error) {
    throw new TokenStoreError('the token file holds a malformed entry for this key', {
      operation: 'get',
      cause: error,
    });
  }
  return { kind: 'tokens', tokens, until: keepUntil(tokens) };
}

function isKept(until: number | undefined, now: number): boolean {
  return until === undefined || now < until;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
