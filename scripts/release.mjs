#!/usr/bin/env node
// The release, in order (docs/releasing.md):
//   1. `changeset version`: the pending changesets become versions and CHANGELOG entries;
//   2. the registry is checked: a version already there must be tagged as released from here;
//   3. build and all checks (`pnpm test`; in a dry run, those of the published packages);
//   4. the version bump is committed;
//   5. `pnpm publish -r --access public --provenance`, then `changeset tag`.
//
//   node scripts/release.mjs                 pnpm release: in this clone, for real
//   node scripts/release.mjs --dry-run       pnpm release:dry: the same on a temporary copy of
//                                            the clone, publishing with --dry-run; nothing here
//                                            changes and nothing is committed or uploaded
// Options: --registry <url> (default: npm's configured registry); with --dry-run only,
// --reuse-build (copy each package's dist/ from this clone instead of building) and
// --skip-checks (with --reuse-build, for CI, whose own run builds and checks the same commit).
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { publishedPackageDirs, repoRoot } from './pack-all.mjs';
import { pnpmCommand, run } from './run.mjs';

/**
 * @typedef {{ name: string, version: string }} PackageVersion
 */

/**
 * The name and version of every published package in `root`.
 *
 * @param {string} root - The repository root (or a copy of it).
 * @returns {Promise<PackageVersion[]>} One entry per package, by folder name.
 */
export async function publishedVersions(root) {
  const dirs = await publishedPackageDirs(root);
  return Promise.all(
    dirs.map(async (dir) => {
      const { name, version } = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
      return { name, version };
    }),
  );
}

/**
 * The versions that are already on the registry: `pnpm publish -r` skips them without a word.
 *
 * @param {PackageVersion[]} packages - The versions about to be published.
 * @param {string} registry - The registry's address, e.g. `https://registry.npmjs.org/`.
 * @returns {Promise<PackageVersion[]>} Those already on the registry.
 */
export async function versionsOnRegistry(packages, registry) {
  const base = registry.endsWith('/') ? registry : `${registry}/`;
  const found = await Promise.all(
    packages.map(async ({ name, version }) => {
      const response = await fetch(new URL(name.replace('/', '%2f'), base), {
        headers: { accept: 'application/vnd.npm.install-v1+json' },
      });
      if (response.status === 404) return false;
      if (!response.ok) throw new Error(`${registry} answered ${response.status} for ${name}`);
      const { versions = {} } = /** @type {{ versions?: Record<string, unknown> }} */ (
        await response.json()
      );
      return version in versions;
    }),
  );
  return packages.filter((_, index) => found[index]);
}

/**
 * The versions on the registry that no release of this repository published: a release tags
 * each version it publishes (`changeset tag`: `@auth/core@0.1.0`), so any other is someone
 * else's (the `@auth` scope on npm is Auth.js's).
 *
 * @param {PackageVersion[]} onRegistry - From {@link versionsOnRegistry}.
 * @param {string[]} tags - The repository's git tags.
 * @returns {PackageVersion[]} Those without a tag.
 */
export function notReleasedHere(onRegistry, tags) {
  const released = new Set(tags);
  return onRegistry.filter(({ name, version }) => !released.has(`${name}@${version}`));
}

/**
 * Copies the clone's files (tracked, and untracked ones git does not ignore: what a commit of
 * the working tree would hold) into a new temporary folder.
 *
 * @param {string} root - The clone.
 * @returns {Promise<string>} The copy.
 */
async function copyOfClone(root) {
  const copy = await mkdtemp(join(tmpdir(), 'auth-release-'));
  const listing = await run(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    {
      cwd: root,
      capture: true,
    },
  );
  for (const file of listing.split('\0').filter(Boolean)) {
    if (!existsSync(join(root, file))) continue; // deleted in the working tree
    await mkdir(dirname(join(copy, file)), { recursive: true });
    await cp(join(root, file), join(copy, file)).catch(
      (/** @type {NodeJS.ErrnoException} */ error) => {
        if (error.code !== 'ENOENT') throw error; // removed since the listing
      },
    );
  }
  return copy;
}

/** @param {string} message */
function step(message) {
  console.log(`\n▶ ${message}`);
}

/**
 * @typedef {object} ReleaseOptions
 * @property {boolean} dryRun - Work on a temporary copy and publish with `--dry-run`.
 * @property {boolean} [reuseBuild] - Dry run only: copy each package's `dist/` from the clone.
 * @property {boolean} [skipChecks] - Dry run with `reuseBuild` only: no build or checks (CI
 *   runs them itself).
 * @property {string} [registry] - The registry; default npm's configured one.
 */

/**
 * Versions, checks and publishes the packages (the steps at the top of this file).
 *
 * @param {ReleaseOptions} options - What kind of run.
 * @returns {Promise<PackageVersion[]>} What was published, or would be in a dry run.
 * @throws {Error} On the first failing step of a release; after every step of a dry run that
 *   found problems, naming them all.
 */
export async function release(options) {
  const { dryRun } = options;
  if (!dryRun && (options.reuseBuild || options.skipChecks)) {
    throw new TypeError('--reuse-build and --skip-checks are for --dry-run only');
  }
  if (options.skipChecks && !options.reuseBuild) {
    throw new TypeError('--skip-checks needs --reuse-build: nothing else would build the packages');
  }
  const [npx, pnpm] = pnpmCommand(repoRoot);
  const registry =
    options.registry ??
    (await run('npm', ['config', 'get', 'registry'], { cwd: repoRoot, capture: true })).trim();

  /** @type {string[]} What a dry run found wrong; a release stops at the first. */
  const problems = [];
  /** @param {string} problem */
  function fail(problem) {
    if (!dryRun) throw new Error(problem);
    console.error(`  ✗ ${problem}`);
    problems.push(problem);
  }

  let dir = repoRoot;
  try {
    if (dryRun) {
      dir = await copyOfClone(repoRoot);
      step(`dry run in a copy of the clone: ${dir}`);
      // Its own install: pnpm publish rewrites workspace: ranges from the linked packages.
      const install = ['install', '--offline', '--frozen-lockfile'];
      const filters = ['--filter=./packages/*', '--filter=auth-monorepo'];
      await run(npx, [...pnpm, ...install, ...filters], { cwd: dir });
    } else if ((await run('git', ['status', '--porcelain'], { cwd: dir, capture: true })) !== '') {
      throw new Error('the working tree has changes: commit or stash them, then release');
    }
    const before = await publishedVersions(dir);
    step('changeset version: pending changesets become versions and CHANGELOG entries');
    await run(npx, [...pnpm, 'exec', 'changeset', 'version'], { cwd: dir });
    const after = await publishedVersions(dir);
    const bumped = after.filter(({ version }, index) => version !== before[index]?.version);
    for (const { name, version } of after) {
      const old = before.find((entry) => entry.name === name)?.version;
      console.log(
        `  ${name}: ${old === version ? `${version} (unchanged)` : `${old} → ${version}`}`,
      );
    }

    step(`checking ${registry}: a version already there must be one released from here`);
    const onRegistry = await versionsOnRegistry(after, registry);
    const tags = await run('git', ['tag', '--list'], { cwd: repoRoot, capture: true });
    const foreign = notReleasedHere(onRegistry, tags.split('\n'));
    if (foreign.length > 0) {
      fail(
        `already on ${registry} but not tagged as released here: ${foreign.map(({ name, version }) => `${name}@${version}`).join(', ')}. ` +
          'The @auth scope on npm belongs to Auth.js: publish under a scope you own (docs/releasing.md).',
      );
    }
    const toPublish = after.filter((entry) => !onRegistry.includes(entry));

    if (options.reuseBuild) {
      step('build: copying dist/ of each published package from the clone');
      for (const pkg of await publishedPackageDirs(repoRoot)) {
        await cp(join(pkg, 'dist'), join(dir, relative(repoRoot, pkg), 'dist'), {
          recursive: true,
        });
      }
    }
    if (options.skipChecks) {
      step(
        'build and checks: skipped (--skip-checks: this run is part of the CI run that does them)',
      );
    } else if (dryRun) {
      step('build and the checks of the published packages');
      const tasks = ['typecheck', 'build', 'test', 'check:package', 'check:docs'];
      await run(npx, [...pnpm, 'turbo', 'run', ...tasks, '--filter=./packages/*', '--filter=//'], {
        cwd: dir,
      });
    } else {
      step('build and all checks: pnpm test');
      await run(npx, [...pnpm, 'test'], { cwd: dir });
    }

    const publish = ['publish', '-r', '--access', 'public', '--provenance', '--report-summary'];
    if (options.registry) publish.push('--registry', options.registry);
    if (dryRun) {
      publish.push('--dry-run', '--no-git-checks');
    } else {
      step('committing the version bump');
      await run('git', ['add', '-A'], { cwd: dir });
      const list = bumped.map(({ name, version }) => `${name}@${version}`).join(', ');
      if (list) await run('git', ['commit', '-q', '-m', `release: ${list}`], { cwd: dir });
    }
    step(`pnpm ${publish.join(' ')}`);
    /** @type {PackageVersion[]} */
    let publishedPackages = [];
    /** @type {unknown} */
    let publishFailure;
    try {
      await run(npx, [...pnpm, ...publish], { cwd: dir });
      const summaryFile = join(dir, 'pnpm-publish-summary.json');
      ({ publishedPackages } = JSON.parse(await readFile(summaryFile, 'utf8')));
      await rm(summaryFile);
      const missing = toPublish.filter(
        ({ name, version }) =>
          !publishedPackages.some((entry) => entry.name === name && entry.version === version),
      );
      if (missing.length > 0) {
        fail(`pnpm publish left out ${missing.map(({ name }) => name).join(', ')}`);
      }
    } catch (error) {
      publishFailure = error;
    }
    if (!dryRun) {
      // Tagged even after a publish that failed part way: the versions it did upload must count
      // as released here, or the registry check would refuse the rerun that publishes the rest.
      await run(npx, [...pnpm, 'exec', 'changeset', 'tag'], { cwd: dir });
    }
    if (publishFailure !== undefined) {
      fail(publishFailure instanceof Error ? publishFailure.message : String(publishFailure));
    }
    step(
      `${dryRun ? 'dry run: would publish' : 'published'}: ${
        publishedPackages
          .map((/** @type {PackageVersion} */ { name, version }) => `${name}@${version}`)
          .join(', ') || 'nothing'
      }${dryRun ? '' : '\n  now push the commit and its tags: git push --follow-tags'}`,
    );
    if (problems.length > 0) {
      throw new Error(`the dry run found ${problems.length} problem(s):\n${problems.join('\n')}`);
    }
    return publishedPackages;
  } finally {
    if (dir !== repoRoot) await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      'dry-run': { type: 'boolean', default: false },
      'reuse-build': { type: 'boolean', default: false },
      'skip-checks': { type: 'boolean', default: false },
      registry: { type: 'string' },
    },
  });
  try {
    await release({
      dryRun: values['dry-run'],
      reuseBuild: values['reuse-build'],
      skipChecks: values['skip-checks'],
      registry: values.registry,
    });
  } catch (error) {
    console.error(`\nrelease failed: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  }
}
