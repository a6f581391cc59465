import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenSet } from '@auth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileTokenStore } from '../../src/index.js';
import { type Child, exited, startFixture } from './child-processes.js';

/** Processes killed at once, and how many times each lane is refilled. */
const LANES = 4;
const KILLS_PER_LANE = 12;
const KEYS = ['key-0', 'key-1', 'key-2'];

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'store-file-leftovers-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function started(child: Child): Promise<void> {
  return new Promise((resolve) => {
    child.process.stdout?.once('data', () => resolve());
    child.process.once('exit', () => resolve());
  });
}

/** Runs lock work and writes in a child and SIGKILLs it at a random instant, `kills` times. */
async function crashLane(path: string, lane: number, kills: number): Promise<void> {
  for (let round = 0; round < kills; round++) {
    const child = startFixture('lock-work-loop.mjs', [path, String(lane * 1_000 + round + 1)]);
    await started(child);
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 40)));
    child.process.kill('SIGKILL');
    const { signal } = await exited(child);
    expect(signal, `the loop ended on its own: ${child.stderr()}`).toBe('SIGKILL');
  }
}

describe('FileTokenStore leftovers after crashes', () => {
  it(`leaves no drafts, released locks or temporary files after ${LANES * KILLS_PER_LANE} SIGKILLs mid-work, without moving the clock`, async () => {
    const path = join(root, 'tokens.json');
    await Promise.all(
      Array.from({ length: LANES }, (_, lane) => crashLane(path, lane, KILLS_PER_LANE)),
    );
    // The next writer and lock takers (on the real clock) clean up after the dead processes.
    const store = new FileTokenStore({ path });
    await store.set('after', new TokenSet({ accessToken: 'after-token' }));
    for (const key of KEYS) {
      const lock = await store.acquireLock(key, 60_000);
      expect(lock, `the lock of ${key} was not taken over`).toBeDefined();
      await lock?.release();
    }
    expect((await readdir(root)).sort()).toEqual(['tokens.json']);
    expect((await store.get('after'))?.accessToken).toBe('after-token');
  });
});
