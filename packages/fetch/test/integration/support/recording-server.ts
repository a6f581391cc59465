import type { IncomingHttpHeaders } from 'node:http';
import { type LoopbackServer, listenOnLoopback } from '@auth/testing/http';

/** One request as the recording server saw it. */
export interface RecordedRequest {
  method: string;
  /** The path and query, as parsed by `new URL`. */
  path: string;
  /** The request target exactly as it arrived (`//public/x` stays as it is). */
  target: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A server that records every request and answers by path. */
export interface RecordingServer extends LoopbackServer {
  readonly requests: RecordedRequest[];
  /** The requests to `path` (without query). */
  requestsTo(path: string): RecordedRequest[];
  /** The requests whose target arrived exactly as `target`. */
  requestsAt(target: string): RecordedRequest[];
  /** Resolves once a streamed upload's first chunk has arrived at `/upload-stream`. */
  readonly firstUploadChunk: Promise<void>;
  /** Lets `/download-stream` send its second part. */
  releaseDownload(): void;
}

/**
 * Starts a server on 127.0.0.1 that records each request (method, path, headers, body)
 * and answers by path:
 * - `/redirect/<status>?to=<url>`: that redirect status with `Location: <url>`;
 * - `/loop`: 302 to itself;
 * - `/status/<code>`: that status with a small body;
 * - `/upload-stream`: records the body as it streams in (see `firstUploadChunk`);
 * - `/download-stream`: sends `part1`, waits for `releaseDownload()`, sends `part2`;
 * - `/hang`: never answers;
 * - anything else: `200` with JSON `{ method, path, body }`.
 */
export async function startRecordingServer(): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  let markFirstChunk!: () => void;
  const firstUploadChunk = new Promise<void>((resolve) => {
    markFirstChunk = resolve;
  });
  let releaseDownload!: () => void;
  const downloadReleased = new Promise<void>((resolve) => {
    releaseDownload = resolve;
  });

  const server = await listenOnLoopback(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      target: req.url ?? '/',
      headers: req.headers,
      body: Buffer.alloc(0),
    };
    requests.push(record);
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
      if (url.pathname === '/upload-stream') markFirstChunk();
    }
    record.body = Buffer.concat(chunks);

    const redirect = /^\/redirect\/(\d{3})$/.exec(url.pathname);
    if (redirect) {
      res.writeHead(Number(redirect[1]), { location: url.searchParams.get('to') ?? '/' });
      return void res.end('moved');
    }
    if (url.pathname === '/loop') {
      res.writeHead(302, { location: '/loop' });
      return void res.end();
    }
    const status = /^\/status\/(\d{3})$/.exec(url.pathname);
    if (status) {
      res.writeHead(Number(status[1]), { 'content-type': 'text/plain', 'x-from': 'server' });
      return void res.end(`status ${status[1]}`);
    }
    if (url.pathname === '/download-stream') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('part1');
      await downloadReleased;
      return void res.end('part2');
    }
    if (url.pathname === '/hang') return;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ method: record.method, path: record.path, body: record.body.toString() }),
    );
  });
  return {
    ...server,
    requests,
    requestsTo: (path) => requests.filter((r) => r.path.split('?')[0] === path),
    requestsAt: (target) => requests.filter((r) => r.target === target),
    firstUploadChunk,
    releaseDownload: () => releaseDownload(),
  };
}
