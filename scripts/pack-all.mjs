#!/usr/bin/env node
// Packs every published package (packages/* that are not private) into one folder, as
// `pnpm publish` would upload them: `workspace:` ranges rewritten to versions, README and
// LICENSE included. `pnpm pack:all` builds the packages first and writes to packs/.
//
//   node scripts/pack-all.mjs [destination]    (default: packs/ at the repository root)
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pnpmCommand, run } from './run.mjs';

/** The repository root. */
export const repoRoot = resolve(import.meta.dirname, '..');

/**
 * The folders of the published packages: every `packages/*` whose package.json is not private.
 *
 * @param {string} [root] - The repository root.
 * @returns {Promise<string[]>} Absolute folders, sorted.
 */
export async function publishedPackageDirs(root = repoRoot) {
  const names = (await readdir(join(root, 'packages'))).sort();
  const dirs = [];
  for (const name of names) {
    const file = join(root, 'packages', name, 'package.json');
    if (!existsSync(file)) continue;
    if (!JSON.parse(await readFile(file, 'utf8')).private) dirs.push(join(root, 'packages', name));
  }
  return dirs;
}

/**
 * Packs every published package with the repository's pnpm into `destination`, after
 * removing the tarballs an earlier run left there.
 *
 * @param {string} destination - The folder for the tarballs; created if missing.
 * @param {string} [root] - The repository root.
 * @returns {Promise<string[]>} The tarballs' absolute paths, sorted.
 */
export async function packAll(destination, root = repoRoot) {
  const [npx, pnpm] = pnpmCommand(root);
  const dirs = await publishedPackageDirs(root);
  const unbuilt = dirs.filter((dir) => !existsSync(join(dir, 'dist')));
  if (unbuilt.length > 0) {
    throw new Error(
      `not built: ${unbuilt.map((dir) => relative(root, dir)).join(', ')} (pnpm pack:all builds them first)`,
    );
  }
  await mkdir(destination, { recursive: true });
  for (const file of await readdir(destination)) {
    if (file.endsWith('.tgz')) await rm(join(destination, file));
  }
  await Promise.all(
    dirs.map((dir) =>
      run(npx, [...pnpm, 'pack', '--pack-destination', destination], { cwd: dir, capture: true }),
    ),
  );
  const tarballs = (await readdir(destination)).filter((file) => file.endsWith('.tgz')).sort();
  return tarballs.map((file) => join(destination, file));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const destination = resolve(process.argv[2] ?? join(repoRoot, 'packs'));
  const tarballs = await packAll(destination);
  console.log(`${tarballs.length} packages packed into ${destination}`);
  console.log("Install them together (so @auth/core is this one, not npm's), in your project:");
  console.log(`  npm install ${tarballs.join(' ')}`);
}
