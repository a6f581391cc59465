import { generateKeyPair, type KeyObject } from 'node:crypto';
import { Readable } from 'node:stream';
import { inspect, promisify } from 'node:util';
import {
  AuthenticationError,
  type AuthStrategy,
  httpSignatureAuth,
  signedKeyAuth,
} from '@auth/core';
import {
  httpSignatureCheck,
  secureSchemeCheck,
  startVerifyingServer,
  type VerifyingServer,
} from '@auth/testing/http';
import { Agent, request, type BodyInit as UndiciBodyInit, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthFetch } from '../../src/index.js';
import { authInterceptor } from '../../src/undici.js';

const newKeyPair = promisify(generateKeyPair);
const pemOf = (key: KeyObject) => key.export({ format: 'pem', type: 'pkcs8' }).toString();

let ec: { publicKey: KeyObject; privateKey: KeyObject };
let ecPem: string;
let ed: { publicKey: KeyObject; privateKey: KeyObject };
let edPem: string;
/** A P-256 key the verifier does not know. */
let otherEcPem: string;
// Keys are made once per file, off the main thread, with their own timeout, so a busy machine
// slows no test.
beforeAll(async () => {
  let other: { privateKey: KeyObject };
  [ec, ed, other] = await Promise.all([
    newKeyPair('ec', { namedCurve: 'P-256' }),
    newKeyPair('ed25519'),
    newKeyPair('ec', { namedCurve: 'P-256' }),
  ]);
  [ecPem, edPem, otherEcPem] = [
    pemOf(ec.privateKey),
    pemOf(ed.privateKey),
    pemOf(other.privateKey),
  ];
}, 60_000);

let secure: VerifyingServer;
let rfc9421: VerifyingServer;
const agents: Agent[] = [];
beforeAll(async () => {
  [secure, rfc9421] = await Promise.all([
    startVerifyingServer(secureSchemeCheck('pk_live_1', ec.publicKey)),
    startVerifyingServer(httpSignatureCheck('ed-key-1', ed.publicKey)),
  ]);
});
afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.close()));
  await Promise.all([secure.close(), rfc9421.close()]);
});

const signedKey = () => signedKeyAuth({ publicKey: 'pk_live_1', privateKey: ecPem });
const httpSignature = () =>
  httpSignatureAuth({ keyId: 'ed-key-1', key: edPem, algorithm: 'ed25519' });

/** A one-shot `ReadableStream` of the given text chunks. */
function webStream(...chunks: string[]): ReadableStream<Uint8Array> {
  return Readable.toWeb(Readable.from(chunks.map((c) => Buffer.from(c)))) as ReadableStream;
}

function interceptedAgent(auth: AuthStrategy, origin: string) {
  const agent = new Agent();
  agents.push(agent);
  return agent.compose(authInterceptor({ auth, origins: [origin] }));
}

/** The requests each client makes; every one must pass the server's verifier. */
const CASES = [
  { name: 'GET', path: '/orders', init: {} },
  { name: 'POST with a body', path: '/orders', init: { method: 'POST', body: '{"amount":10}' } },
  { name: 'POST with an empty body', path: '/orders', init: { method: 'POST', body: '' } },
  { name: 'a path with a query', path: '/orders/search?status=open&q=a%20b', init: {} },
] as const;

type Client = (url: string, init: { method?: string; body?: string }) => Promise<number>;

const clients: Record<string, (auth: AuthStrategy, origin: string) => Client> = {
  createAuthFetch: (auth, origin) => {
    const api = createAuthFetch({ auth, origins: [origin] });
    return async (url, init) => {
      const response = await api(url, init);
      await response.text();
      return response.status;
    };
  },
  'authInterceptor with undici.request': (auth, origin) => {
    const dispatcher = interceptedAgent(auth, origin);
    return async (url, init) => {
      const response = await request(url, { ...init, method: init.method ?? 'GET', dispatcher });
      await response.body.text();
      return response.statusCode;
    };
  },
  'authInterceptor with undici fetch': (auth, origin) => {
    const dispatcher = interceptedAgent(auth, origin);
    return async (url, init) => {
      const response = await undiciFetch(url, { ...init, dispatcher });
      await response.text();
      return response.status;
    };
  },
  'authInterceptor with Node global fetch': (auth, origin) => {
    const dispatcher = interceptedAgent(auth, origin);
    return async (url, init) => {
      const response = await fetch(url, { ...init, dispatcher } as RequestInit);
      await response.text();
      return response.status;
    };
  },
};

describe.each(Object.entries(clients))('signatures verified server-side, through %s', (_, make) => {
  it.each(CASES)('signedKeyAuth: $name', async ({ path, init }) => {
    const send = make(signedKey(), secure.url);
    const before = secure.requests.length;
    expect(await send(`${secure.url}${path}`, init)).toBe(200);
    const seen = secure.requests.slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ target: path, verified: true });
    expect(seen[0]!.body.toString()).toBe('body' in init ? init.body : '');
  });

  it.each(CASES)('httpSignatureAuth (ed25519, content-digest): $name', async ({ path, init }) => {
    const send = make(httpSignature(), rfc9421.url);
    const before = rfc9421.requests.length;
    expect(await send(`${rfc9421.url}${path}`, init)).toBe(200);
    expect(rfc9421.requests.slice(before)).toMatchObject([{ target: path, verified: true }]);
  });
});

describe('the verifier is real', () => {
  it('refuses a signature made with another key', async () => {
    const auth = signedKeyAuth({ publicKey: 'pk_live_1', privateKey: otherEcPem });
    const api = createAuthFetch({ auth, origins: [secure.url] });
    const response = await api(`${secure.url}/wrong-key`, { method: 'POST', body: 'x' });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ reason: 'bad signature' });
  });
});

describe('bodies a signing strategy cannot see in full', () => {
  it('createAuthFetch buffers every replayable body and signs its exact bytes', async () => {
    const api = createAuthFetch({ auth: signedKey(), origins: [secure.url] });
    const form = new FormData();
    form.set('file', new Blob(['file body'], { type: 'text/plain' }), 'a.txt');
    const bodies: BodyInit[] = [
      form,
      new URLSearchParams({ a: '1', b: 'two words' }),
      new Blob(['blob bytes']),
      new Uint8Array([0, 1, 2, 255]),
    ];
    for (const body of bodies) {
      const response = await api(`${secure.url}/bodies`, { method: 'POST', body });
      expect(response.status).toBe(200);
      await response.text();
    }
    const streamed = new Request(`${secure.url}/bodies`, {
      method: 'POST',
      body: webStream('request ', 'stream'),
      duplex: 'half',
    } as RequestInit);
    expect((await api(streamed)).status).toBe(200);
    const seen = secure.requests.filter((r) => r.target === '/bodies');
    expect(seen.map((r) => r.verified)).toEqual([true, true, true, true, true]);
    expect(seen[4]!.body.toString()).toBe('request stream');
  });

  it('createAuthFetch refuses a ReadableStream body with AuthenticationError and sends nothing', async () => {
    const api = createAuthFetch({ auth: signedKey(), origins: [secure.url] });
    const before = secure.requests.length;
    const error = await api(`${secure.url}/stream`, {
      method: 'POST',
      body: webStream('one-shot'),
      duplex: 'half',
    } as RequestInit).catch((e: unknown) => e);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect((error as AuthenticationError).serviceName).toBe(secure.url);
    expect((error as Error).message).toMatch(/signs the request body.*one-shot stream/);
    expect(secure.requests.length).toBe(before);
  });

  it('a strategy that does not sign the body still streams a ReadableStream', async () => {
    const api = createAuthFetch({
      auth: { authenticate: () => ({ 'X-Key': 'k' }) },
      origins: [secure.url],
    });
    const response = await api(`${secure.url}/plain-stream`, {
      method: 'POST',
      body: webStream('streamed'),
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(401); // no signature, but it was sent
    expect(secure.requests.at(-1)!.body.toString()).toBe('streamed');
  });

  it('authInterceptor buffers a stream of declared length and signs it', async () => {
    const dispatcher = interceptedAgent(signedKey(), secure.url);
    const response = await request(`${secure.url}/declared`, {
      method: 'PUT',
      body: Readable.from([Buffer.from('twelve '), Buffer.from('bytes')]),
      headers: { 'content-length': '12' },
      dispatcher,
    });
    expect(response.statusCode).toBe(200);
    await response.body.text();
    expect(secure.requests.at(-1)).toMatchObject({ target: '/declared', verified: true });
    expect(secure.requests.at(-1)!.body.toString()).toBe('twelve bytes');
  });

  it('authInterceptor reads a Blob body and signs its bytes', async () => {
    const dispatcher = interceptedAgent(signedKey(), secure.url);
    const response = await request(`${secure.url}/blob`, {
      method: 'PUT',
      body: new Blob(['blob body']) as never,
      dispatcher,
    });
    expect(response.statusCode).toBe(200);
    await response.body.text();
    expect(secure.requests.at(-1)).toMatchObject({ target: '/blob', verified: true });
    expect(secure.requests.at(-1)!.body.toString()).toBe('blob body');
  });

  it('authInterceptor refuses a stream of unknown length from undici.request', async () => {
    const dispatcher = interceptedAgent(signedKey(), secure.url);
    const before = secure.requests.length;
    const error = await request(`${secure.url}/unknown-length`, {
      method: 'POST',
      body: Readable.from([Buffer.from('one-shot')]),
      dispatcher,
    }).catch((e: unknown) => e);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/stream of unknown length/);
    expect(secure.requests.length).toBe(before);
  });

  it('authInterceptor refuses a fetch ReadableStream body: fetch rejects with it as the cause', async () => {
    const dispatcher = interceptedAgent(signedKey(), secure.url);
    const before = secure.requests.length;
    const error = await undiciFetch(`${secure.url}/fetch-stream`, {
      method: 'POST',
      body: webStream('one-shot') as unknown as UndiciBodyInit,
      duplex: 'half',
      dispatcher,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(AuthenticationError.isInstance((error as Error).cause)).toBe(true);
    expect(secure.requests.length).toBe(before);
  });

  it('authInterceptor refuses a stream shorter than its content-length', async () => {
    const dispatcher = interceptedAgent(signedKey(), secure.url);
    const before = secure.requests.length;
    const error = await request(`${secure.url}/short`, {
      method: 'POST',
      body: Readable.from([Buffer.from('short')]),
      headers: { 'content-length': '100' },
      dispatcher,
    }).catch((e: unknown) => e);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/does not match its content-length 100/);
    expect(secure.requests.length).toBe(before);
  });
});

describe('no secret shows', () => {
  it('in the strategies or their failures', async () => {
    const strategies = [signedKey(), httpSignature()];
    const shown = strategies.flatMap((s) => [
      inspect(s, { depth: 5 }),
      JSON.stringify(s),
      String(s),
    ]);
    const api = createAuthFetch({ auth: signedKey(), origins: [secure.url] });
    const failure = await api(`${secure.url}/s`, {
      method: 'POST',
      body: webStream('x'),
      duplex: 'half',
    } as RequestInit).catch((e: unknown) => e);
    shown.push(inspect(failure, { depth: 5 }), String(failure), JSON.stringify(failure));
    const secrets = [ecPem, edPem].map((pem) =>
      pem
        .replace(/-----[A-Z ]+-----/g, '')
        .replace(/\s+/g, '')
        .slice(20, 60),
    );
    for (const text of shown) for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
