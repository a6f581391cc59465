import { bearerAuth } from '@auth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthFetch } from '../../src/index.js';
import { type RecordingServer, startRecordingServer } from './support/recording-server.js';

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer();
});
afterAll(() => server.close());

const auth = bearerAuth('drop-in-token');

describe('createAuthFetch as a drop-in for fetch', () => {
  it('accepts a string, a URL and a Request, with init', async () => {
    const api = createAuthFetch({ auth, origins: [server.url] });
    const byString = await api(`${server.url}/a?x=1`, { method: 'POST', body: 'one' });
    const byUrl = await api(new URL('/b', server.url), { method: 'PUT', body: 'two' });
    const byRequest = await api(new Request(`${server.url}/c`, { method: 'PATCH', body: 'three' }));
    expect(await byString.json()).toEqual({ method: 'POST', path: '/a?x=1', body: 'one' });
    expect(await byUrl.json()).toEqual({ method: 'PUT', path: '/b', body: 'two' });
    expect(await byRequest.json()).toEqual({ method: 'PATCH', path: '/c', body: 'three' });
    for (const path of ['/a', '/b', '/c']) {
      expect(server.requestsTo(path)[0]!.headers.authorization).toBe('Bearer drop-in-token');
    }
  });

  it('merges init into a Request input as fetch does', async () => {
    const api = createAuthFetch({ auth, origins: [server.url] });
    const request = new Request(`${server.url}/merge`, { headers: { 'x-one': '1' } });
    await api(request, { headers: { 'x-two': '2' }, method: 'DELETE' });
    const seen = server.requestsTo('/merge')[0]!;
    expect(seen.method).toBe('DELETE');
    expect(seen.headers['x-two']).toBe('2');
    expect(seen.headers['x-one']).toBeUndefined();
    expect(seen.headers.authorization).toBe('Bearer drop-in-token');
  });

  it("keeps the caller's headers and never changes the caller's objects", async () => {
    const api = createAuthFetch({ auth, origins: [server.url] });
    const headers = new Headers({ 'x-trace': 'abc', accept: 'application/json' });
    const init: RequestInit = { headers };
    await api(`${server.url}/keep`, init);
    const request = new Request(`${server.url}/keep-request`, { headers: { 'x-trace': 'def' } });
    await api(request);
    expect([...headers]).toEqual([
      ['accept', 'application/json'],
      ['x-trace', 'abc'],
    ]);
    expect(init.headers).toBe(headers);
    expect(request.headers.has('authorization')).toBe(false);
    const seen = server.requestsTo('/keep')[0]!.headers;
    expect(seen['x-trace']).toBe('abc');
    expect(seen.accept).toBe('application/json');
    expect(seen.authorization).toBe('Bearer drop-in-token');
    expect(server.requestsTo('/keep-request')[0]!.headers['x-trace']).toBe('def');
  });

  it('sends an explicit Authorization from the caller instead of the strategy', async () => {
    const api = createAuthFetch({ auth, origins: [server.url] });
    await api(`${server.url}/explicit`, { headers: { Authorization: 'Bearer mine' } });
    expect(server.requestsTo('/explicit')[0]!.headers.authorization).toBe('Bearer mine');
  });

  it('resolves relative paths against baseUrl, whose origin gets the credentials', async () => {
    const api = createAuthFetch({ auth, baseUrl: `${server.url}/v1/` });
    const response = await api('items?page=2');
    expect((await response.json()).path).toBe('/v1/items?page=2');
    await api('/root');
    expect(server.requestsTo('/root')[0]!.headers.authorization).toBe('Bearer drop-in-token');
  });

  it('streams the request body: the server gets the first chunk before the second exists', async () => {
    const api = createAuthFetch({ auth, origins: [server.url] });
    const encoder = new TextEncoder();
    let sentSecond = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('first,'));
      },
      async pull(controller) {
        if (sentSecond) return;
        sentSecond = true;
        await server.firstUploadChunk;
        controller.enqueue(encoder.encode('second'));
        controller.close();
      },
    });
    const response = await api(`${server.url}/upload-stream`, {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit);
    expect((await response.json()).body).toBe('first,second');
  });

  it('streams the response body: the first part arrives before the server sends the rest', async () => {
    const api = createAuthFetch({ auth, origins: [server.url] });
    const response = await api(`${server.url}/download-stream`);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const first = await reader.read();
    expect(decoder.decode(first.value)).toBe('part1');
    server.releaseDownload();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      rest += decoder.decode(chunk.value);
    }
    expect(rest).toBe('part2');
  });

  it('honours an abort signal', async () => {
    const api = createAuthFetch({ auth, origins: [server.url] });
    const controller = new AbortController();
    const pending = api(`${server.url}/hang`, { signal: controller.signal });
    const reason = new Error('caller gave up');
    setImmediate(() => controller.abort(reason));
    await expect(pending).rejects.toBe(reason);
  });

  it('passes an already aborted signal on without sending', async () => {
    const api = createAuthFetch({ auth, origins: [server.url] });
    const before = server.requestsTo('/never').length;
    await expect(api(`${server.url}/never`, { signal: AbortSignal.abort() })).rejects.toThrow();
    expect(server.requestsTo('/never').length).toBe(before);
  });

  it('uses the fetch it was given', async () => {
    const seen: string[] = [];
    const api = createAuthFetch({
      auth,
      origins: [server.url],
      fetch: (input, init) => {
        seen.push(new Headers(init?.headers).get('authorization') ?? '');
        return fetch(input, init);
      },
    });
    expect((await api(`${server.url}/custom-fetch`)).status).toBe(200);
    expect(seen).toEqual(['Bearer drop-in-token']);
  });

  it('passes non-standard init members (dispatcher, …) on, with a string or a Request input', async () => {
    const dispatchers: unknown[] = [];
    const marker = { name: 'my-dispatcher' };
    const api = createAuthFetch({
      auth,
      origins: [server.url],
      fetch: (_input, init) => {
        dispatchers.push((init as { dispatcher?: unknown } | undefined)?.dispatcher);
        return Promise.resolve(new Response('ok'));
      },
    });
    const init = { dispatcher: marker } as RequestInit;
    expect((await api(`${server.url}/with-dispatcher`, init)).status).toBe(200);
    expect((await api(new Request(`${server.url}/with-dispatcher`), init)).status).toBe(200);
    expect(dispatchers).toEqual([marker, marker]);
  });

  it('returns other statuses untouched', async () => {
    const api = createAuthFetch({ auth, origins: [server.url] });
    for (const code of [200, 204, 400, 403, 404, 500, 503]) {
      const response = await api(`${server.url}/status/${code}`);
      expect(response.status).toBe(code);
      if (code !== 204) expect(await response.text()).toBe(`status ${code}`);
      expect(response.headers.get('x-from')).toBe('server');
    }
    expect(server.requestsTo('/status/403')).toHaveLength(1);
  });
});
