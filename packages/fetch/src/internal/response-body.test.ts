import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { discardBody } from './response-body.js';

describe('discardBody', () => {
  it('cancels a WHATWG stream', async () => {
    let cancelled = false;
    const body = new ReadableStream({
      cancel() {
        cancelled = true;
      },
    });
    await discardBody({ body });
    expect(cancelled).toBe(true);
  });

  it('destroys a Node stream, the body of node-fetch 2 and 3', async () => {
    const body = new PassThrough();
    await discardBody({ body });
    expect(body.destroyed).toBe(true);
  });

  it('leaves a locked stream, no body and a body of another kind alone, without throwing', async () => {
    const locked = new ReadableStream();
    locked.getReader();
    await expect(discardBody({ body: locked })).resolves.toBeUndefined();
    await expect(discardBody({ body: null })).resolves.toBeUndefined();
    await expect(discardBody({ body: 'text' })).resolves.toBeUndefined();
  });
});
