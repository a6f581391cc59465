import { randomUUID } from 'node:crypto';
import { open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isCode } from './fs-errors.js';
import { DRAFT_SUFFIX, RELEASE_SUFFIX } from './lock-file.js';

const TEMP_SUFFIX = '.tmp';

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

/** Lock drafts and released locks older than this were left by a killed process. */
const ABANDONED_AFTER_MS = 60_000;

/**
 * Removes what writers killed mid-way left beside the token file: temporary files (any:
 * call it only while holding the write lock, when no other writer has one in flight), and
 * lock drafts or released locks abandoned for a minute (by the inode change time).
 *
 * @param path - The token file.
 * @param now - The clock (epoch ms).
 */
export async function removeLeftovers(path: string, now: number): Promise<void> {
  const folder = dirname(path);
  const prefix = `${basename(path)}.`;
  const names = (await readdir(folder)).filter((name) => name.startsWith(prefix));
  await Promise.all(
    names.map(async (name) => {
      const leftover = join(folder, name);
      try {
        if (name.endsWith(TEMP_SUFFIX)) return await unlink(leftover);
        if (!name.endsWith(DRAFT_SUFFIX) && !name.endsWith(RELEASE_SUFFIX)) return;
        if ((await stat(leftover)).ctimeMs + ABANDONED_AFTER_MS <= now) await unlink(leftover);
      } catch {
        // Already gone, or not ours to remove: left for the next writer.
      }
    }),
  );
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
