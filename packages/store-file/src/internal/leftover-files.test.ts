import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeLeftovers } from './leftover-files.js';
import { fileTagOf, type OwnIdentity, readOwnIdentity } from './process-identity.js';

/** Above Linux's largest pid (2^22): no process has it. */
const DEAD_PID = 99_999_999;

let root: string;
let path: string;
let self: OwnIdentity;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'store-file-leftovers-'));
  path = join(root, 'tokens.json');
  self = await readOwnIdentity();
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function clean(temporaryWrites: boolean): Promise<void> {
  return removeLeftovers(path, {
    ttlMs: 60_000,
    now: Date.now,
    self,
    onStaleRemoved: () => {},
    temporaryWrites,
  });
}

describe('removeLeftovers', () => {
  it('never fails: a folder it cannot list leaves the leftovers for the next writer', async () => {
    path = join(root, 'missing-folder', 'tokens.json');
    await expect(clean(true)).resolves.toBeUndefined();
  });

  it("removes drafts, released locks and claims of a process that is gone at once, and keeps a running process's", async () => {
    const dead = fileTagOf({ ...self, pid: DEAD_PID });
    const { fileTag: _, ...holder } = self;
    const files: Record<string, string> = {
      [`tokens.json.lock.a1.${self.fileTag}.draft`]: '{}',
      [`tokens.json.0123456789abcdef.lock.b2.${self.fileTag}.release`]: '{}',
      [`tokens.json.lock.c3.${dead}.draft`]: '{}',
      [`tokens.json.0123456789abcdef.lock.d4.${dead}.release`]: '{}',
      'tokens.json.lock.0123456789abcdef.claim': JSON.stringify({
        owner: 'live-claim',
        ...holder,
        expiresAt: Date.now() + 60_000,
      }),
      'tokens.json.lock.fedcba9876543210.claim': JSON.stringify({
        owner: 'dead-claim',
        ...holder,
        pid: DEAD_PID,
        expiresAt: Date.now() + 60_000,
      }),
      'tokens.json.5d1e.tmp': '{"version":1',
    };
    for (const [name, content] of Object.entries(files)) await writeFile(join(root, name), content);

    await clean(false);
    expect((await readdir(root)).sort()).toEqual(
      [
        `tokens.json.lock.a1.${self.fileTag}.draft`,
        `tokens.json.0123456789abcdef.lock.b2.${self.fileTag}.release`,
        'tokens.json.lock.0123456789abcdef.claim',
        'tokens.json.5d1e.tmp',
      ].sort(),
    );
    await clean(true);
    expect(await readdir(root)).not.toContain('tokens.json.5d1e.tmp');
  });
});
