import { randomUUID } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isCode } from './fs-errors.js';

/** A file being written, before it is renamed over the token file. */
export const TEMP_SUFFIX = '.tmp';

/**
 * Replaces the file at `path` with `content` so that a reader, or a crash at any instant,
 * sees either the old file or the new one, never a torn one: the content goes to a
 * temporary file in the same folder (created `0600`), is flushed with `fsync`, renamed
 * over `path`, and the folder is flushed so the rename itself survives a power loss.
 *
 * @throws The file-system error; the temporary file is removed first.
 */
export async function writeFileAtomically(path: string, content: string): Promise<void> {
  const tempPath = join(dirname(path), `${basename(path)}.${randomUUID()}${TEMP_SUFFIX}`);
  try {
    const handle = await open(tempPath, 'wx', 0o600);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tempPath, path);
  } catch (error) {
    await unlink(tempPath).catch(() => {});
    throw error;
  }
  await syncFolder(dirname(path));
}

/** Flushes a folder's entries; skipped where folders cannot be opened for it (Windows). */
async function syncFolder(folder: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch (error) {
    if (!['EISDIR', 'EPERM', 'EINVAL', 'EBADF'].some((code) => isCode(error, code))) throw error;
  } finally {
    await handle?.close();
  }
}
