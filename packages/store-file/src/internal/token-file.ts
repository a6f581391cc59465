import { open, rename } from 'node:fs/promises';
import { TokenStoreError } from '@auth/core';
import type { FileTokenStoreEvent } from '../file-token-store-events.js';
import { isCode } from './fs-errors.js';
import { ensurePrivateFile } from './permissions.js';
import { type ParsedDocument, parseDocument, type TokenDocument } from './token-document.js';

/**
 * The token file on disk, as `FileTokenStore` reads it: its mode tightened on every read, a
 * file of a newer format refused, a corrupt one moved aside (under the write lock) and then
 * read as absent.
 */
export class TokenFile {
  readonly path: string;
  readonly #now: () => number;
  readonly #report: (event: FileTokenStoreEvent) => void;

  /**
   * @param path - The token file's absolute path.
   * @param now - The clock, for the name of a file moved aside.
   * @param report - Where `file-moved-aside` and permission events go.
   */
  constructor(path: string, now: () => number, report: (event: FileTokenStoreEvent) => void) {
    this.path = path;
    this.#now = now;
    this.#report = report;
  }

  /** The parsed file, or `undefined` when there is none. A newer format version throws. */
  async readParsed(): Promise<Exclude<ParsedDocument, { kind: 'newer' }> | undefined> {
    const text = await this.#readText();
    if (text === undefined) return undefined;
    const parsed = parseDocument(text);
    if (parsed.kind === 'newer') {
      throw new TokenStoreError(
        `the token file ${this.path} has format version ${parsed.version}, newer than this release reads; it is left untouched`,
      );
    }
    return parsed;
  }

  /** The document, read under the write lock: a corrupt file is moved aside, then reads as absent. */
  async readForWrite(): Promise<TokenDocument | undefined> {
    const parsed = await this.readParsed();
    if (parsed?.kind !== 'corrupt') return parsed?.document;
    const movedTo = `${this.path}.corrupt-${this.#now()}`;
    await rename(this.path, movedTo);
    this.#report({ type: 'file-moved-aside', path: this.path, movedTo, reason: parsed.reason });
    return undefined;
  }

  /** The file's text, or `undefined` when it does not exist. Tightens its mode first. */
  async #readText(): Promise<string | undefined> {
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(this.path, 'r');
    } catch (error) {
      if (isCode(error, 'ENOENT')) return undefined;
      throw error;
    }
    try {
      if (!(await handle.stat()).isFile()) {
        throw new TokenStoreError(
          `the token file path ${this.path} is not a regular file (a folder?); it is left untouched`,
        );
      }
      await ensurePrivateFile(handle, this.path, this.#report);
      return await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  }
}
