import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialUnavailableError, TokenManager, tokenFunction } from '@auth/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tokenFile } from './token-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'token-file-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function manualClock(start = 1_700_000_000_000) {
  let at = start;
  return {
    now: () => at,
    advance: (ms: number) => {
      at += ms;
    },
  };
}

/** A JWT-shaped token (unsigned: only its `exp` is read). */
function jwt(label: string, expSeconds: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none' })}.${part({ sub: label, exp: expSeconds })}.c2ln`;
}

/**
 * Writes a projected volume the way kubelet's AtomicWriter does: the data in a timestamped
 * directory, `..data` a symlink to it, `token` a symlink to `..data/token`; an update writes a
 * new directory, points `..data_tmp` at it and renames that over `..data` (one atomic step).
 */
async function kubeletWrite(volume: string, token: string, generation: number): Promise<void> {
  const versioned = `..2024_01_01_00_00_0${generation}`;
  await mkdir(join(volume, versioned));
  await writeFile(join(volume, versioned, 'token'), `${token}\n`);
  await symlink(versioned, join(volume, '..data_tmp'));
  await rename(join(volume, '..data_tmp'), join(volume, '..data'));
  if (generation === 1) await symlink(join('..data', 'token'), join(volume, 'token'));
  else await rm(join(volume, `..2024_01_01_00_00_0${generation - 1}`), { recursive: true });
}

describe('tokenFile', () => {
  it('returns the trimmed contents', async () => {
    const path = join(dir, 'token');
    await writeFile(path, '  the-token\n');
    expect(await tokenFile(path)()).toBe('the-token');
  });

  it('follows a Kubernetes rotation: symlinked ..data swapped atomically, read again after minRereadMs', async () => {
    const clock = manualClock();
    const path = join(dir, 'token');
    await kubeletWrite(dir, 'token-generation-1', 1);
    const read = tokenFile(path, { minRereadMs: 1_000, now: clock.now });
    expect(await read()).toBe('token-generation-1');
    await kubeletWrite(dir, 'token-generation-2', 2);
    // Within minRereadMs the file is not looked at again.
    expect(await read()).toBe('token-generation-1');
    clock.advance(1_000);
    expect(await read()).toBe('token-generation-2');
  });

  it('reads the file only when it changed (identity: inode, size, times)', async () => {
    const clock = manualClock();
    const path = join(dir, 'token');
    await writeFile(path, 'first');
    const read = tokenFile(path, { minRereadMs: 0, now: clock.now });
    expect(await read()).toBe('first');
    // Replace it the atomic way (temp file + rename): same size, new inode.
    await writeFile(join(dir, '.tmp'), 'other');
    await rename(join(dir, '.tmp'), path);
    expect(await read()).toBe('other');
  });

  it('serves a tokenFunction provider whose expiry is the JWT exp, and a rotation reaches the manager', async () => {
    const clock = manualClock();
    const path = join(dir, 'token');
    const nowSeconds = clock.now() / 1000;
    await kubeletWrite(dir, jwt('one', nowSeconds + 3600), 1);
    const provider = tokenFunction(tokenFile(path, { now: clock.now }), {
      cacheKey: 'file:token',
      now: clock.now,
    });
    const first = await provider.fetchToken();
    expect(first.expiresAt).toBe((nowSeconds + 3600) * 1000);
    const manager = new TokenManager({ provider, now: clock.now });
    expect((await manager.getToken()).accessToken).toBe(first.accessToken);
    await kubeletWrite(dir, jwt('two', nowSeconds + 7200), 2);
    clock.advance(3_600_000 - 10_000); // inside the expiry skew: the manager fetches again
    const second = await manager.getToken();
    expect(second.accessToken).toBe(jwt('two', nowSeconds + 7200));
    await manager.close();
  });

  it('fails with CredentialUnavailableError naming the path, never the contents', async () => {
    const missing = join(dir, 'missing');
    const error = await tokenFile(missing)().catch((e: unknown) => e);
    expect(CredentialUnavailableError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'credential_unavailable', source: missing });
    expect((error as Error).message).toBe(`the token file ${missing} does not exist`);

    const empty = join(dir, 'empty');
    await writeFile(empty, ' \n');
    await expect(tokenFile(empty)()).rejects.toThrow(`the token file ${empty} is empty`);

    await expect(tokenFile(dir)()).rejects.toThrow(/is a directory|could not be read/);
  });

  it('a file removed after a read fails on the next look, not with the old token', async () => {
    const clock = manualClock();
    const path = join(dir, 'token');
    await writeFile(path, 'was-here');
    const read = tokenFile(path, { minRereadMs: 100, now: clock.now });
    expect(await read()).toBe('was-here');
    await rm(path);
    clock.advance(100);
    await expect(read()).rejects.toThrow(/does not exist/);
  });

  it('checks its arguments at once', () => {
    expect(() => tokenFile('')).toThrow(TypeError);
    expect(() => tokenFile('/x', { minRereadMs: -1 })).toThrow(/minRereadMs/);
  });
});
