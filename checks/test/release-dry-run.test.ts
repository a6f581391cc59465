import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { listenOnLoopback, sendJson } from '@auth/testing/http';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/pack-all.mjs';
import { notReleasedHere, publishedVersions, versionsOnRegistry } from '../../scripts/release.mjs';

const run = promisify(execFile);

/**
 * A registry on 127.0.0.1 that holds `packages` (name → versions) and records every request:
 * the dry run talks to it instead of npm, so it can never upload anything, and no other
 * project's packages under our names (the `@auth` scope on npm is Auth.js's) hide ours.
 */
async function startRegistry(packages: Record<string, string[]> = {}) {
  const requests: string[] = [];
  const server = await listenOnLoopback((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const name = decodeURIComponent((req.url ?? '/').slice(1));
    const versions = req.method === 'GET' ? packages[name] : undefined;
    if (!versions) return sendJson(res, 404, { error: 'Not found' });
    sendJson(res, 200, {
      name,
      'dist-tags': { latest: versions.at(-1) },
      versions: Object.fromEntries(versions.map((version) => [version, { name, version }])),
    });
  });
  return { ...server, requests };
}

/**
 * `pnpm release:dry` as CI runs it: the build and checks are the CI run this test is part of,
 * so `--reuse-build` takes its dist/ and `--skip-checks` does not run them twice.
 */
async function releaseDryRun(registryUrl: string) {
  const args = ['scripts/release.mjs', '--dry-run', '--reuse-build', '--skip-checks'];
  return run('node', [...args, '--registry', registryUrl], {
    cwd: repoRoot,
    maxBuffer: 64 * 1024 * 1024,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

/**
 * The versions the pending changesets give the published packages, as changesets itself
 * computes them (`changeset status --output`): the dry run must publish exactly these.
 */
async function versionsAfterPendingChangesets(
  before: readonly { name: string; version: string }[],
): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'changeset-status-'));
  try {
    const output = join(dir, 'status.json');
    await run('npx', ['changeset', 'status', '--output', output], { cwd: repoRoot });
    const { releases } = JSON.parse(await readFile(output, 'utf8')) as {
      releases: { name: string; newVersion: string }[];
    };
    const next = new Map(releases.map((release) => [release.name, release.newVersion]));
    return before.map(({ name, version }) => `${name}@${next.get(name) ?? version}`).sort();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('pnpm release:dry', () => {
  const registries: { close(): Promise<void> }[] = [];
  afterAll(() => Promise.all(registries.map((registry) => registry.close())));

  it('versions, packs and dry-publishes every published package on a copy, leaving the clone as it was', async () => {
    const registry = await startRegistry();
    registries.push(registry);
    const git = (...args: string[]) => run('git', args, { cwd: repoRoot }).then((r) => r.stdout);
    // What a release changes; other tasks of the CI run may write elsewhere meanwhile.
    const released = ['.changeset', 'packages/*/package.json', 'packages/*/CHANGELOG.md', '*.json'];
    const status = () => git('status', '--porcelain', '--untracked-files=all', '--', ...released);
    const statusBefore = await status();
    const versionsBefore = await publishedVersions(repoRoot);
    const expected = await versionsAfterPendingChangesets(versionsBefore);

    const { code, stdout, stderr } = await releaseDryRun(registry.url);
    expect(code, stderr).toBe(0);

    const line = stdout.split('\n').find((text) => text.startsWith('▶ dry run: would publish: '));
    const wouldPublish = line?.slice('▶ dry run: would publish: '.length).split(', ').sort();
    expect(stdout).toContain('▶ changeset version');
    expect(wouldPublish).toEqual(expected);
    expect(registry.requests.filter((request) => !request.startsWith('GET '))).toEqual([]);
    expect(await status()).toBe(statusBefore);
    expect(await publishedVersions(repoRoot)).toEqual(versionsBefore);
  });

  it("finds the versions on the registry that no release of ours tagged (the @auth scope is Auth.js's)", async () => {
    const registry = await startRegistry({
      '@auth/core': ['0.1.0', '0.41.3'],
      '@auth/oauth': ['0.1.0'],
    });
    registries.push(registry);
    const onRegistry = await versionsOnRegistry(
      [
        { name: '@auth/core', version: '0.1.0' },
        { name: '@auth/core', version: '0.2.0' },
        { name: '@auth/oauth', version: '0.1.0' },
        { name: '@auth/fetch', version: '0.1.0' },
      ],
      registry.url,
    );
    expect(onRegistry).toEqual([
      { name: '@auth/core', version: '0.1.0' },
      { name: '@auth/oauth', version: '0.1.0' },
    ]);
    expect(notReleasedHere(onRegistry, ['@auth/oauth@0.1.0', 'v1'])).toEqual([
      { name: '@auth/core', version: '0.1.0' },
    ]);
    expect(registry.requests).toContain('GET /@auth%2fcore');
  });
});
