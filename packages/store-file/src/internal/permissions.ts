import { chmod, type FileHandle, mkdir, stat } from 'node:fs/promises';
import type { FileTokenStoreEvent } from '../file-token-store-events.js';
import { isCode } from './fs-errors.js';

/** The token file: read and write by its owner only. */
export const FILE_MODE = 0o600;
/** The folder: entered and listed by its owner only. */
export const FOLDER_MODE = 0o700;
const GROUP_AND_OTHERS = 0o077;
const STICKY = 0o1000;
/** POSIX modes mean little on Windows, where ACLs guard the user's profile instead. */
const HAS_POSIX_MODES = process.platform !== 'win32';

type Report = (event: FileTokenStoreEvent) => void;

/**
 * Creates `folder` (and missing parents) with mode `0700`; an existing folder open to
 * others is tightened to `0700` and reported, unless it is shared (sticky, like `/tmp`)
 * or owned by another user: that is reported as insecure and left alone.
 *
 * @throws The file-system error, or `ENOTDIR` when `folder` is not a folder.
 */
export async function ensurePrivateFolder(folder: string, report: Report): Promise<void> {
  try {
    await mkdir(folder, { recursive: true, mode: FOLDER_MODE });
  } catch (error) {
    // `mkdir -p` says EEXIST when a part of the path is a file.
    if (!isCode(error, 'EEXIST')) throw error;
  }
  const info = await stat(folder);
  if (!info.isDirectory()) {
    throw Object.assign(new Error(`not a folder: ${folder}`), { code: 'ENOTDIR' });
  }
  if (!HAS_POSIX_MODES) return;
  const mode = info.mode & 0o7777;
  if ((mode & GROUP_AND_OTHERS) === 0) return;
  if ((mode & STICKY) !== 0 || info.uid !== process.getuid?.()) {
    report({ type: 'permissions-insecure', target: 'folder', path: folder, mode });
    return;
  }
  await chmod(folder, FOLDER_MODE);
  report({
    type: 'permissions-tightened',
    target: 'folder',
    path: folder,
    previousMode: mode,
    mode: FOLDER_MODE,
  });
}

/**
 * Tightens the open token file to `0600` when others may read or write it, and reports it.
 * Where that fails (a read-only file system), the file is still read and reported insecure.
 *
 * @param handle - The open token file.
 * @param path - Its path, for the report.
 */
export async function ensurePrivateFile(
  handle: FileHandle,
  path: string,
  report: Report,
): Promise<void> {
  if (!HAS_POSIX_MODES) return;
  const mode = (await handle.stat()).mode & 0o7777;
  if ((mode & GROUP_AND_OTHERS) === 0) return;
  try {
    await handle.chmod(FILE_MODE);
  } catch {
    report({ type: 'permissions-insecure', target: 'file', path, mode });
    return;
  }
  report({
    type: 'permissions-tightened',
    target: 'file',
    path,
    previousMode: mode,
    mode: FILE_MODE,
  });
}
