import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root. */
export const repoRoot = resolve(import.meta.dirname, '../..');

/** Every published package, by directory under `packages/`. */
export const publishedPackages = ['core', 'oauth', 'fetch', 'store-file', 'store-redis'] as const;

async function packageJson(path: string): Promise<Record<string, Record<string, string>>> {
  return JSON.parse(await readFile(join(repoRoot, path, 'package.json'), 'utf8'));
}

async function exec(command: string, args: string[], cwd: string): Promise<void> {
  try {
    await run(command, args, { cwd, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}:\n${stderr ?? ''}${stdout ?? ''}`,
    );
  }
}

/**
 * Packs every published package with `scripts/pack-all.mjs` (what `pnpm pack:all` runs: pnpm
 * rewrites `workspace:` ranges as publishing does) and installs the tarballs with npm into a
 * new project under the system's temporary directory, outside the workspace, with the
 * third-party packages a user installs beside them (`oauth4webapi`, `ioredis`, `undici`,
 * `@types/node`) from the npm registry, at the versions the workspace uses.
 *
 * @returns The project's directory; the tarballs are in its `tarballs/` folder.
 */
export async function installPackedPackages(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'auth-consumers-'));
  const tarballs = join(dir, 'tarballs');
  await exec('node', [join(repoRoot, 'scripts/pack-all.mjs'), tarballs], repoRoot);
  const root = await packageJson('.');
  const [oauth, redis, fetch] = await Promise.all(
    ['packages/oauth', 'packages/store-redis', 'packages/fetch'].map(packageJson),
  );
  const registry = [
    `oauth4webapi@${oauth!.dependencies!.oauth4webapi}`,
    `ioredis@${redis!.devDependencies!.ioredis}`,
    `undici@${fetch!.devDependencies!.undici}`,
    `@types/node@${root.devDependencies!['@types/node']}`,
  ];
  await writeFile(join(dir, 'package.json'), '{ "name": "consumer", "private": true }\n');
  await exec(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--no-package-lock',
      ...(await readdir(tarballs)).map((file) => `./tarballs/${file}`),
      ...registry,
    ],
    dir,
  );
  return dir;
}
