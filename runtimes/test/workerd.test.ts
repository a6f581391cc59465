import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type RuntimeBed, startRuntimeBed } from '../src/bed.js';
import { expectFlowPassed } from '../src/expect-flow.js';
import { type RunningWorker, startFlowWorker } from '../src/workerd.js';

let bed: RuntimeBed;
let worker: RunningWorker | undefined;
beforeEach(async () => {
  bed = await startRuntimeBed();
});
afterEach(async () => {
  await worker?.close();
  worker = undefined;
  await bed.close();
});

describe('workerd (miniflare)', () => {
  it('starts a Worker whose TokenManager is created at module scope', async () => {
    worker = await startFlowWorker(bed.input);
    expect(bed.tokens.requestCount).toBe(0);
  });

  it('serves 24 concurrent requests through the module-scope manager with one token request', async () => {
    worker = await startFlowWorker(bed.input);
    const responses = await Promise.all(
      Array.from({ length: 24 }, (_, n) => worker!.fetch(`/shared/${n}`)),
    );
    const bodies = await Promise.all(responses.map((response) => response.json()));
    expect(bodies).toEqual(
      Array(24).fill({ status: 200, body: expect.objectContaining({ ok: true }) }),
    );
    expect(bed.tokens.requestCount).toBe(1);
  });

  it('makes a later token request in a later request than the first one (nothing request-bound is kept)', async () => {
    worker = await startFlowWorker(bed.input);
    expect(await (await worker.fetch('/shared/first')).json()).toMatchObject({ status: 200 });
    for (const _ of [1, 2]) {
      expect(await (await worker.fetch('/force-refresh')).json()).toMatchObject({ status: 200 });
    }
    expect(bed.tokens.requests.map((request) => request.grantType)).toEqual([
      'client_credentials',
      'refresh_token',
      'refresh_token',
    ]);
  });

  it('finishes a background renewal started by a request that was answered before it ended (waitUntil)', async () => {
    worker = await startFlowWorker(bed.input);
    const statusOf = async (path: string) =>
      ((await (await worker!.fetch(path)).json()) as { status: number }).status;
    expect(await statusOf('/shared/first')).toBe(200);
    // Into the renewal window (the token is issued for an hour, renewed 30 s to 90 s before):
    // this request is answered with the current token and starts the renewal; the token
    // server answers slowly, so the request ends first.
    await worker.fetch(`/advance-clock?ms=${3_600_000 - 31_000}`);
    bed.tokens.setDelayMs(200);
    expect(await statusOf('/shared/starts-renewal')).toBe(200);
    // Past the point where the first token is served: only the renewal's token will do.
    await worker.fetch('/advance-clock?ms=25000');
    expect(await statusOf('/shared/needs-renewal')).toBe(200);
    expect(bed.tokens.requests.map((request) => request.grantType)).toEqual([
      'client_credentials',
      'refresh_token',
    ]);
    expect(await (await worker.fetch('/events')).json()).toEqual([
      { type: 'token-fetched', background: false },
      { type: 'token-refreshed', background: true },
    ]);
  });

  it('closes the shared manager from another request than the one whose token request is in flight', async () => {
    worker = await startFlowWorker(bed.input);
    bed.tokens.failNext({ kind: 'hang' });
    const waiting = worker.fetch('/shared/waits').catch((error: unknown) => error);
    await vi.waitFor(() => expect(bed.tokens.requestCount).toBe(1), { timeout: 30_000 });
    const closing = await worker.fetch('/close');
    expect(closing.status).toBe(200);
    expect(await closing.json()).toEqual({ closed: true, afterClose: 'manager_closed' });
    void waiting; // its token request hangs until the bed closes; it is never served a token
  });

  it('runs the whole flow', async () => {
    worker = await startFlowWorker(bed.input);
    const response = await worker.fetch('/flow');
    expectFlowPassed(await response.json(), bed, /^workerd$/);
  });
});
