import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startTokenServer, type TokenServer } from '@auth/testing/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const EXAMPLE = fileURLToPath(new URL('./fixtures/cli-example.mjs', import.meta.url));

let stateHome: string;
let server: TokenServer;
beforeAll(async () => {
  stateHome = await mkdtemp(join(tmpdir(), 'store-file-cli-'));
  server = await startTokenServer();
});
afterAll(async () => {
  await server.close();
  await rm(stateHome, { recursive: true, force: true });
});

describe('the README CLI example', () => {
  it('logs in on the first run and reuses the saved token on later runs', async () => {
    const env = { ...process.env, XDG_STATE_HOME: stateHome, TOKEN_URL: server.tokenUrl };
    const first = await run(process.execPath, [EXAMPLE], { env });
    const second = await run(process.execPath, [EXAMPLE], { env });
    const third = await run(process.execPath, [EXAMPLE], { env });
    expect(first.stdout).toContain('logged in: new token');
    expect(second.stdout).toContain('reused the saved token');
    expect(third.stdout).toContain('reused the saved token');
    expect(server.requestCount).toBe(1);
    const path = join(stateHome, 'example-cli', 'tokens.json');
    expect(first.stdout).toContain(path);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(stateHome, 'example-cli'))).mode & 0o777).toBe(0o700);
    expect(`${first.stderr}${second.stderr}`).toBe('');
  });
});
