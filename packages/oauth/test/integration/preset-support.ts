import type { IncomingMessage, ServerResponse } from 'node:http';
import { type LoopbackServer, listenOnLoopback, readBody } from '@auth/testing/http';

/** A request a platform server received. */
export interface ReceivedRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * A loopback server playing a platform endpoint: each test sets `route` to answer, and reads
 * what arrived in `received`.
 */
export interface PlatformServer extends LoopbackServer {
  received: ReceivedRequest[];
  route: (request: ReceivedRequest, res: ServerResponse) => void;
}

export async function startPlatformServer(): Promise<PlatformServer> {
  let platform: PlatformServer | undefined;
  const server = await listenOnLoopback(async (req, res) => {
    const request = {
      method: req.method ?? 'GET',
      url: new URL(req.url ?? '/', 'http://127.0.0.1'),
      headers: req.headers,
      body: await readBody(req),
    };
    platform!.received.push(request);
    platform!.route(request, res);
  });
  platform = Object.assign(server, {
    received: [] as ReceivedRequest[],
    route: (_request: ReceivedRequest, res: ServerResponse) => {
      res.writeHead(404).end();
    },
  });
  return platform;
}

/** A JWT-shaped token (not signed: presets only read its `exp`). */
export function unsignedJwt(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}
