import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

describe('the demo, run as a real process', () => {
  let output = '';
  let exitCode: number | null = null;

  beforeAll(async () => {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [main], {
        timeout: 60_000,
      });
      output = stdout + stderr;
      exitCode = 0;
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      output = `${failed.stdout ?? ''}${failed.stderr ?? ''}`;
      exitCode = failed.code ?? 1;
    }
  });

  it('exits 0 after every scene behaved as described', () => {
    expect(output).not.toContain('did not behave');
    expect(exitCode).toBe(0);
  });

  it('walks through the five scenes', () => {
    for (const title of [
      '1. Client credentials with caching',
      '2. Refresh ahead across a short token lifetime',
      '3. Recovery from a revoked token',
      '4. An API key and Basic auth',
      '5. A two-step pipeline',
    ]) {
      expect(output).toContain(title);
    }
  });

  it('shows the numbers a newcomer should see', () => {
    expect(output).toMatch(
      /100 × 200 OK, 1 token request \(token [0-9a-f]{12}, expires in 60 min\)/,
    );
    expect(output).toContain(
      'expirySkewMs 1000: a token counts as expired 1 s before its expiry time',
    );
    expect(output).toContain(
      'refreshAheadMs 2000: in the 2 s before that, the next call still gets the current token and a new one is fetched in the background',
    );
    expect(output).toMatch(/new token [0-9a-f]{12} in the background, while calls went on/);
    expect(output).toMatch(
      /0 failed, \d+ token requests \(1 waited for\);.*after the first, none waited for a token request/,
    );
    expect(output).toMatch(
      /20 calls got 401 → 1 token request \(new token [0-9a-f]{12}\) → retried: 20 × 200 OK/,
    );
    expect(output).toContain('GET /reports with apiKeyAuth (X-API-Key) → 200');
    expect(output).toContain('GET /admin with basicAuth (RFC 7617, UTF-8 password) → 200');
    expect(output).toContain('GET /admin with a wrong password → 401');
    expect(output).toContain('5 × 200 OK on /me; app token requests: 1, session requests: 1');
    expect(output).toMatch(/done in \d+\.\d s/);
  });

  it('prints no secret: no token, client secret, API key or password', () => {
    // Tokens and secrets are long random strings; fingerprints are 12 hex digits.
    expect(output.match(/[A-Za-z0-9_-]{20,}/g) ?? []).toEqual([]);
    expect(output).not.toMatch(/-secret-|demo-key-|pässword/);
  });
});
