import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenSet } from '@auth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileTokenStore } from '../../src/index.js';
import { type Child, exited, startFixture } from './child-processes.js';

const KILLS = 30;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'store-file-crash-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A small deterministic PRNG (mulberry32), so a failing run can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Collects the counters the writer printed, and resolves once the first one arrived. */
function watchProgress(child: Child): { written: () => number[]; started: Promise<void> } {
  let text = '';
  let markStarted: () => void;
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  child.process.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    if (text.includes('\n')) markStarted();
  });
  return {
    written: () => text.split('\n').filter(Boolean).map(Number),
    started,
  };
}

describe('FileTokenStore under SIGKILL', () => {
  it(`keeps the file parseable, holding the old or the new entry, across ${KILLS} kills mid-write`, async () => {
    const path = join(root, 'tokens.json');
    const store = new FileTokenStore({ path });
    await store.set('stable', new TokenSet({ accessToken: 'stable-token' }));
    const seed = Date.now() % 1_000_000;
    const nextRandom = random(seed);
    let lastConfirmed = -1;
    for (let round = 0; round < KILLS; round++) {
      const child = startFixture('write-loop.mjs', [path, String(lastConfirmed + 1)]);
      const progress = watchProgress(child);
      await Promise.race([progress.started, exited(child)]);
      // Random kill point inside the write loop (each write takes a few ms).
      await new Promise((resolve) => setTimeout(resolve, Math.floor(nextRandom() * 25)));
      child.process.kill('SIGKILL');
      const { signal } = await exited(child);
      expect(signal, `writer ended on its own: ${child.stderr()}`).toBe('SIGKILL');
      const written = progress.written();
      const confirmed = written.at(-1) ?? lastConfirmed;

      const document = JSON.parse(await readFile(path, 'utf8'));
      expect(document.version).toBe(1);
      expect(document.entries.stable.accessToken).toBe('stable-token');
      const held = document.entries.looped?.accessToken;
      // The last write that finished, or the one in flight when the kill landed.
      expect(
        [`tok-${confirmed}`, `tok-${confirmed + 1}`],
        `seed ${seed}, round ${round}`,
      ).toContain(held);
      expect(TokenSet.deserialize(document.entries.looped).accessToken).toBe(held);
      lastConfirmed = Number(held.slice('tok-'.length));
    }
    // A later writer clears what the killed ones left: the write lock and temporary files at
    // once, lock drafts and half-released locks once they are a minute old.
    const aMinuteLater = new FileTokenStore({ path, now: () => Date.now() + 61_000 });
    await aMinuteLater.set('after', new TokenSet({ accessToken: 'after-token' }));
    expect((await readdir(root)).sort()).toEqual(['tokens.json']);
    expect((await store.get('stable'))?.accessToken).toBe('stable-token');
  });
});
