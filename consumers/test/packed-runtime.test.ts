import { execFile } from 'node:child_process';
import { copyFile, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bearerTokenCheck, startProtectedApi, startTokenServer } from '@auth/testing/http';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { publishedPackages, repoRoot } from '../src/packed-install.ts';

const run = promisify(execFile);

/**
 * The tarballs as a user installs them: a fresh npm project outside the workspace (no
 * node_modules of the workspace on its path) runs a small program against a real token
 * server and API on 127.0.0.1, once as an ES module and once as CommonJS.
 */
describe('the packed packages run in a fresh npm project', async () => {
  const dir = inject('consumerDir');
  const tokens = await startTokenServer({ clients: { app: 'app-secret' } });
  const api = await startProtectedApi({
    authorize: bearerTokenCheck((token) => tokens.isActive(token)),
  });
  afterAll(() => Promise.all([tokens.close(), api.close()]));

  for (const [kind, fixture, entry] of [
    ['ES module', 'program.mjs', /\/node_modules\/@auth\/core\/dist\/index\.js$/],
    ['CommonJS', 'program.cjs', /\/node_modules\/@auth\/core\/dist\/index\.cjs$/],
  ] as const) {
    it(`as ${kind}: one token request, three authorised API calls, the token kept in a file`, async () => {
      await copyFile(join(import.meta.dirname, '../fixtures', fixture), join(dir, fixture));
      const before = tokens.requestCount;
      const tokenFile = join(dir, `${fixture}.tokens.json`);
      const { stdout } = await run('node', [fixture], {
        cwd: dir,
        env: {
          PATH: process.env.PATH,
          TOKEN_URL: tokens.tokenUrl,
          API_URL: api.url,
          TOKEN_FILE: tokenFile,
        },
      });
      const result = JSON.parse(stdout);
      expect(result.entry).toMatch(entry);
      expect(
        result.bodies.map((body: { ok: boolean; path: string }) => [body.ok, body.path]),
      ).toEqual([
        [true, '/a'],
        [true, '/b'],
        [true, '/c'],
      ]);
      expect(tokens.requestCount - before).toBe(1);
      expect(Object.keys(JSON.parse(await readFile(tokenFile, 'utf8')))).not.toHaveLength(0);
    });
  }

  it('every tarball holds the LICENSE of the repository, its README, and no workspace: range', async () => {
    const license = await readFile(join(repoRoot, 'LICENSE'), 'utf8');
    expect(await readdir(join(dir, 'tarballs'))).toHaveLength(publishedPackages.length);
    for (const name of publishedPackages) {
      const manifest = JSON.parse(
        await readFile(join(repoRoot, 'packages', name, 'package.json'), 'utf8'),
      );
      const installed = join(dir, 'node_modules', manifest.name);
      expect(await readFile(join(installed, 'LICENSE'), 'utf8'), `${manifest.name} LICENSE`).toBe(
        license,
      );
      expect(await readFile(join(installed, 'README.md'), 'utf8')).toContain(`# ${manifest.name}`);
      const packed = await readFile(join(installed, 'package.json'), 'utf8');
      expect(packed, `${manifest.name} package.json`).not.toContain('workspace:');
      expect(JSON.parse(packed).version).toBe(manifest.version);
    }
  });
});
