import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { listenOnLoopback, sendJson } from '@auth/testing/http';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/pack-all.mjs';
import { publishedVersions, versionsOnRegistry } from '../../scripts/release.mjs';

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
    sendJson(res, 200, { name, versions: Object.fromEntries(versions.map((v) => [v, {}])) });
  });
  return { ...server, requests };
}

describe('pnpm release:dry', () => {
  const registries: { close(): Promise<void> }[] = [];
  afterAll(() => Promise.all(registries.map((registry) => registry.close())));

  it('versions, packs and dry-publishes every published package on a copy, leaving the clone as it was', async () => {
    const registry = await startRegistry();
    registries.push(registry);
    const git = (...args: string[]) => run('git', args, { cwd: repoRoot }).then((r) => r.stdout);
    const statusBefore = await git('status', '--porcelain', '--untracked-files=all');
    const versionsBefore = await publishedVersions(repoRoot);

    // The build and checks are the CI run this test is part of; --reuse-build takes its dist/.
    const { stdout } = await run(
      'node',
      [
        'scripts/release.mjs',
        '--dry-run',
        '--reuse-build',
        '--skip-checks',
        '--registry',
        registry.url,
      ],
      { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 },
    );

    const line = stdout.split('\n').find((text) => text.startsWith('▶ dry run: would publish: '));
    const wouldPublish = line?.slice('▶ dry run: would publish: '.length).split(', ').sort();
    expect(stdout).toContain('▶ changeset version');
    expect(wouldPublish).toHaveLength(versionsBefore.length);
    for (const { name } of versionsBefore) {
      expect(
        wouldPublish?.some((entry) => entry.startsWith(`${name}@`)),
        name,
      ).toBe(true);
    }
    expect(registry.requests.filter((request) => !request.startsWith('GET '))).toEqual([]);
    expect(await git('status', '--porcelain', '--untracked-files=all')).toBe(statusBefore);
    expect(await publishedVersions(repoRoot)).toEqual(versionsBefore);
  });

  it('finds versions already on the registry: a release stops there, naming them', async () => {
    const registry = await startRegistry({ '@auth/core': ['0.1.0', '0.41.3'] });
    registries.push(registry);
    const taken = await versionsOnRegistry(
      [
        { name: '@auth/core', version: '0.1.0' },
        { name: '@auth/core', version: '0.2.0' },
        { name: '@auth/oauth', version: '0.1.0' },
      ],
      registry.url,
    );
    expect(taken).toEqual([{ name: '@auth/core', version: '0.1.0' }]);
    expect(registry.requests).toContain('GET /@auth%2fcore');
  });
});
