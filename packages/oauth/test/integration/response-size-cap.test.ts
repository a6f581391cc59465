import { TokenResponseError } from '@auth/core';
import { type LoopbackServer, listenOnLoopback } from '@auth/testing/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientCredentials, discover, revokeToken } from '../../src/index.js';
import { caught } from './support.js';

const FIFTY_MB = 50 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'a');

/** What the server managed to send of one huge body before the client hung up. */
interface Sending {
  bytesSent: number;
  finished: boolean;
  closed: Promise<void>;
}

let server: LoopbackServer;
const sendings: Sending[] = [];
let declareLength = false;

beforeAll(async () => {
  // Streams a 50 MB body in 64 KiB chunks, waiting for the client to drain each, and notes
  // how far it got when the connection closed.
  server = await listenOnLoopback(async (req, res) => {
    for await (const _ of req) {
      // drain the request
    }
    let resolveClosed!: () => void;
    const sending: Sending = {
      bytesSent: 0,
      finished: false,
      closed: new Promise((resolve) => {
        resolveClosed = resolve;
      }),
    };
    sendings.push(sending);
    res.on('close', () => resolveClosed());
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(declareLength ? { 'content-length': String(FIFTY_MB) } : {}),
    });
    while (sending.bytesSent < FIFTY_MB && !res.destroyed) {
      const ok = res.write(CHUNK);
      sending.bytesSent += CHUNK.length;
      if (!ok)
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off('drain', done).off('close', done);
            resolve();
          };
          res.once('drain', done).once('close', done);
        });
    }
    if (!res.destroyed) {
      sending.finished = true;
      res.end();
    }
  });
});
afterAll(() => server.close());

async function expectCut(run: () => Promise<unknown>, maxResponseBytes: number) {
  const before = sendings.length;
  const error = await caught(run);
  expect(TokenResponseError.isInstance(error)).toBe(true);
  expect(error).toMatchObject({ code: 'token_response_too_large' });
  expect((error as Error).message).toContain(String(maxResponseBytes));
  const sending = sendings[before]!;
  await sending.closed;
  // The client hung up long before the end: the rest was never sent, let alone read.
  expect(sending.finished).toBe(false);
  expect(sending.bytesSent).toBeLessThan(FIFTY_MB / 2);
}

describe('maxResponseBytes caps every response body', () => {
  it('a 50 MB streamed token response is cut at the default 1 MiB', async () => {
    declareLength = false;
    await expectCut(
      () =>
        clientCredentials({
          tokenUrl: `${server.url}/token`,
          clientId: 'c',
          clientSecret: 'secret',
        }).fetchToken(),
      1_048_576,
    );
  });

  it('a Content-Length over the cap is refused before the body is read', async () => {
    declareLength = true;
    await expectCut(
      () =>
        clientCredentials({
          tokenUrl: `${server.url}/token`,
          clientId: 'c',
          clientSecret: 'secret',
          maxResponseBytes: 4096,
        }).fetchToken(),
      4096,
    );
  });

  it('discovery and revocation are capped too', async () => {
    declareLength = false;
    await expectCut(() => discover(server.url, { maxResponseBytes: 10_000 }), 10_000);
    await expectCut(
      () =>
        revokeToken({
          revocationUrl: `${server.url}/revoke`,
          tokenUrl: `${server.url}/token`,
          clientId: 'c',
          clientSecret: 'secret',
          token: 'some-token',
          maxResponseBytes: 10_000,
        }),
      10_000,
    );
  });

  it('refuses a maxResponseBytes that is not a positive whole number at construction', () => {
    for (const maxResponseBytes of [0, -1, 1.5, Number.NaN])
      expect(() =>
        clientCredentials({
          tokenUrl: `${server.url}/token`,
          clientId: 'c',
          clientSecret: 'secret',
          maxResponseBytes,
        }),
      ).toThrow(/maxResponseBytes/);
  });
});
