import { generateKeyPair, type KeyObject } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import {
  bearerTokenCheck,
  type LoopbackServer,
  listenOnLoopback,
  readBody,
  secureSchemeCheck,
  sendJson,
  startTokenServer,
  type TokenServer,
} from '@auth/testing/http';

/** What the flow is given: where the servers are and the credentials they accept. */
export interface FlowInput {
  /** The token endpoint (client credentials and refresh token grants). */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** The API: `/bearer/*`, `/api-key/*`, `/basic/*`, `/key-pair/*`, `/signed-key/*`, and `POST /revoke`. */
  apiUrl: string;
  apiKey: string;
  basic: { username: string; password: string };
  keyPair: { publicKey: string; secretKey: string };
  /**
   * `privateKeyPem`: ECDSA P-256, PKCS#8 PEM. `dateHeader`: the header that carries the
   * signed timestamp, when it is not `Date` (a browser may not set `Date`).
   */
  signedKey: { publicKey: string; privateKeyPem: string; dateHeader?: string };
}

/** Settings of {@link startRuntimeBed}. */
export interface RuntimeBedOptions {
  /** Answer a page of another origin (CORS) on both servers: for a browser. */
  cors?: boolean;
  /**
   * The header `signedKeyAuth` puts its timestamp in, which the API verifies: `Date` unless
   * given; a browser needs another (`X-Date`). Passed to the flow as `signedKey.dateHeader`.
   */
  dateHeader?: string;
}

/** One request as the bed's API saw it. */
export interface BedRequest {
  method: string;
  path: string;
  status: number;
}

/** The servers a runtime's flow runs against, all on 127.0.0.1. */
export interface RuntimeBed {
  input: FlowInput;
  tokens: TokenServer;
  /** Every API request, in order of arrival. */
  readonly requests: readonly BedRequest[];
  /** The distinct `Authorization` values sent to `/bearer/*`, in order of first use. */
  readonly bearerCredentials: ReadonlySet<string>;
  close(): Promise<void>;
}

const CLIENT = { id: 'runtime-client', secret: 'runtime-secret' };
const newKeyPair = promisify(generateKeyPair);

/**
 * Starts a token server and an API that checks each scheme on its own path prefix: `/bearer`
 * accepts the token server's live tokens, `/api-key`, `/basic` and `/key-pair` their fixed
 * credentials, `/signed-key` a `signedKeyAuth` signature (verified with `node:crypto`).
 * `POST /revoke` with an access token as the body revokes it, so a flow can make its own
 * token stale.
 *
 * @param options - `cors` and `dateHeader` for a browser.
 */
export async function startRuntimeBed(options: RuntimeBedOptions = {}): Promise<RuntimeBed> {
  const { cors = false, dateHeader } = options;
  const { publicKey, privateKey } = await newKeyPair('ec', { namedCurve: 'P-256' });
  const tokens = await startTokenServer({ clients: { [CLIENT.id]: CLIENT.secret }, cors });
  const partial = {
    tokenUrl: tokens.tokenUrl,
    clientId: CLIENT.id,
    clientSecret: CLIENT.secret,
    apiKey: 'runtime-api-key',
    basic: { username: 'runtime-user', password: 'pässword' },
    keyPair: { publicKey: 'pk_runtime', secretKey: 'sk_runtime_secret' },
    signedKey: {
      publicKey: 'pk_signed',
      privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      ...(dateHeader === undefined ? {} : { dateHeader }),
    },
  };
  const requests: BedRequest[] = [];
  const bearerCredentials = new Set<string>();
  const check = schemeChecks(partial, tokens, publicKey);
  let api: LoopbackServer;
  try {
    api = await listenOnLoopback(
      async (req, res) => {
        const body = Buffer.from(await readBody(req), 'utf8');
        const path = req.url ?? '/';
        const method = req.method ?? 'GET';
        if (method === 'POST' && path === '/revoke') {
          tokens.revoke(body.toString('utf8'));
          requests.push({ method, path, status: 204 });
          res.writeHead(204).end();
          return;
        }
        const scheme = path.split('/')[1] ?? '';
        if (scheme === 'bearer') bearerCredentials.add(req.headers.authorization ?? '');
        const authorized = check[scheme]?.(req, body) ?? false;
        const status = authorized ? 200 : 401;
        requests.push({ method, path, status });
        if (!authorized) return sendJson(res, 401, { error: 'invalid_token' });
        sendJson(res, 200, { ok: true, scheme, bodyLength: body.length });
      },
      { cors },
    );
  } catch (error) {
    await tokens.close();
    throw error;
  }
  return {
    input: { ...partial, apiUrl: api.url },
    tokens,
    requests,
    bearerCredentials,
    close: async () => {
      await Promise.all([api.close(), tokens.close()]);
    },
  };
}

type Check = (req: IncomingMessage, body: Buffer) => boolean;

function schemeChecks(
  input: Omit<FlowInput, 'apiUrl'>,
  tokens: TokenServer,
  signingKey: KeyObject,
): Record<string, Check> {
  const { basic, keyPair } = input;
  const basicHeader = `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}`;
  const bearer = bearerTokenCheck(tokens.isActive);
  const signed = secureSchemeCheck(
    input.signedKey.publicKey,
    signingKey,
    input.signedKey.dateHeader,
  );
  return {
    bearer: (req) => bearer(req.headers),
    'api-key': (req) => req.headers['x-api-key'] === input.apiKey,
    basic: (req) => req.headers.authorization === basicHeader,
    'key-pair': (req) =>
      req.headers.authorization === `Simple ${keyPair.publicKey}:${keyPair.secretKey}`,
    'signed-key': (req, body) => signed(req, body) === undefined,
  };
}
