import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER_SCRIPT = fileURLToPath(new URL('./server.py', import.meta.url));
const INSTALL_HINT =
  'install python3-authlib python3-flask (Debian), or set AUTHLIB_PYTHON to a Python that has authlib and flask';
/** How long `close()` waits after SIGTERM before it sends SIGKILL. */
const STOP_GRACE_MS = 5_000;

/** A client registered at the Authlib server. */
export interface AuthlibClient {
  /** The client id. */
  clientId: string;
  /** The client secret, for `client_secret_basic` / `client_secret_post`. */
  clientSecret?: string;
  /** How the client may authenticate at the token endpoint; default `['client_secret_basic']`. */
  authMethods?: readonly (
    | 'client_secret_basic'
    | 'client_secret_post'
    | 'private_key_jwt'
    | 'none'
  )[];
  /** The grant types it may use (`client_credentials`, `password`, `refresh_token`, …). */
  grantTypes: readonly string[];
  /** Registered redirect URIs; a loopback one matches any port (RFC 8252 §7.3). */
  redirectUris?: readonly string[];
  /** Whether a refresh issues a new refresh token and revokes the old one. Default false. */
  rotateRefreshToken?: boolean;
  /** The public JWK checking its `private_key_jwt` and JWT bearer assertions. */
  jwk?: JsonWebKey;
  /** Test hook: its ID tokens carry another `nonce` than the one requested. Default false. */
  forgeIdTokenNonce?: boolean;
}

/** A resource owner of the Authlib server. */
export interface AuthlibUser {
  /** The user name (also the `sub` of ID tokens and JWT bearer assertions). */
  username: string;
  /** The password. */
  password: string;
}

/** What the Authlib server is started with. */
export interface AuthlibServerOptions {
  /** The registered clients. */
  clients: readonly AuthlibClient[];
  /** The resource owners. */
  users: readonly AuthlibUser[];
  /** Access token lifetime in seconds. Default 300. */
  accessTokenTtlSeconds?: number;
  /** The device poll `interval` the server asks for, in seconds. Default 1. */
  deviceIntervalSeconds?: number;
  /**
   * How long to wait for the server's `PORT` line before giving up (the process is killed and
   * the start rejects with its stderr), in milliseconds. Default 60 000.
   */
  startTimeoutMs?: number;
}

/** One request the server's token endpoint received, as the server recorded it. */
export interface AuthlibTokenRequest {
  /** The `grant_type` parameter. */
  grant_type: string | null;
  /** How the client authenticated: by the `Authorization` header, a body secret, an assertion. */
  client_auth: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';
  /** The `Authorization` header as received. */
  authorization: string | null;
  /** The HTTP status of the answer. */
  status: number;
  /** The `error` of an error answer. */
  error: string | null;
}

/** A running Authlib authorization server on 127.0.0.1. */
export interface AuthlibServer {
  /** The issuer, `http://127.0.0.1:<port>`; its metadata lists the endpoints. */
  issuer: string;
  /** The token endpoint URL. */
  tokenUrl: string;
  /** Every request its token endpoint received so far, in order. */
  tokenRequests: () => Promise<AuthlibTokenRequest[]>;
  /** The well-known metadata paths fetched so far, in order. */
  metadataRequests: () => Promise<string[]>;
  /**
   * Stops the server (SIGTERM, then SIGKILL if it has not exited within a few seconds) and
   * removes its configuration.
   */
  close: () => Promise<void>;
}

/**
 * Debian's `/usr/bin/python3`, which sees `python3-authlib`, unless `AUTHLIB_PYTHON` names
 * another: exactly `${AUTHLIB_PYTHON:-/usr/bin/python3}`, as `.ci/run` checks it. Never
 * `python3` from PATH, which may be a Python without Debian's packages (a pyenv shim).
 */
function pythonExecutable(): string {
  return process.env.AUTHLIB_PYTHON || '/usr/bin/python3';
}

/**
 * Starts Authlib's Flask authorization server (`server.py`) on a free 127.0.0.1 port with
 * the given clients and users, and waits until it listens.
 *
 * @param options - Clients, users, lifetimes and how long to wait for the start.
 * @returns The running server.
 * @throws {Error} Python, Authlib or Flask is missing (the message says what to install), or
 *   the server exited before listening, or printed no `PORT` line in time (the message carries
 *   its stderr).
 * @example
 * ```ts
 * const server = await startAuthlibServer({ clients: [], users: [] });
 * // … discover(server.issuer) …
 * await server.close();
 * ```
 */
export async function startAuthlibServer(options: AuthlibServerOptions): Promise<AuthlibServer> {
  const dir = await mkdtemp(join(tmpdir(), 'authlib-interop-'));
  const configPath = join(dir, 'config.json');
  await writeFile(
    configPath,
    JSON.stringify({
      access_token_ttl: options.accessTokenTtlSeconds ?? 300,
      device_interval: options.deviceIntervalSeconds ?? 1,
      users: options.users,
      clients: options.clients.map((client) => ({
        client_id: client.clientId,
        client_secret: client.clientSecret,
        auth_methods: client.authMethods ?? ['client_secret_basic'],
        grant_types: client.grantTypes,
        redirect_uris: client.redirectUris ?? [],
        rotate_refresh_token: client.rotateRefreshToken ?? false,
        jwk: client.jwk,
        forge_id_token_nonce: client.forgeIdTokenNonce ?? false,
      })),
    }),
  );
  const python = pythonExecutable();
  const child = spawn(python, [SERVER_SCRIPT, configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let port: number;
  try {
    port = await listeningPort(child, python, options.startTimeoutMs ?? 60_000);
  } catch (error) {
    await stop(child, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const issuer = `http://127.0.0.1:${port}`;
  const getJson = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${issuer}${path}`);
    if (!response.ok) throw new Error(`Authlib server: GET ${path} answered ${response.status}`);
    return (await response.json()) as T;
  };
  return {
    issuer,
    tokenUrl: `${issuer}/token`,
    tokenRequests: () => getJson<AuthlibTokenRequest[]>('/test/requests'),
    metadataRequests: () => getJson<string[]>('/test/metadata-requests'),
    close: async () => {
      if (!(await stop(child, 'SIGTERM', STOP_GRACE_MS))) await stop(child, 'SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Sends `signal` to the child unless it has exited, and waits for its exit: at most `waitMs`
 * when given.
 *
 * @returns Whether the child has exited.
 */
async function stop(
  child: ChildProcess,
  signal: NodeJS.Signals,
  waitMs?: number,
): Promise<boolean> {
  const running = () => child.exitCode === null && child.signalCode === null;
  if (!running()) return true;
  let timer: NodeJS.Timeout | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const gaveUp = new Promise<void>((resolve) => {
    if (waitMs !== undefined) timer = setTimeout(resolve, waitMs);
  });
  // The child may not have been spawned at all (ENOENT): then there is no exit to wait for.
  if (child.pid === undefined || !child.kill(signal)) return !running();
  await Promise.race([exited, gaveUp]);
  clearTimeout(timer);
  return !running();
}

/**
 * Resolves with the port from the server's `PORT <n>` line; rejects if it cannot start, exits
 * first, or prints no such line within `timeoutMs` (with its stderr).
 */
function listeningPort(child: ChildProcess, python: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const fail = (message: string) => {
      clearTimeout(deadline);
      reject(new Error(message));
    };
    const deadline = setTimeout(
      () =>
        fail(
          `the Authlib server (${python} ${SERVER_SCRIPT}) printed no PORT line within ${timeoutMs / 1000} s; its stderr:\n${stderr || '(nothing)'}`,
        ),
      timeoutMs,
    );
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout = (stdout + chunk).slice(-4000);
      const match = /^PORT (\d+)$/m.exec(stdout);
      if (match) {
        clearTimeout(deadline);
        resolve(Number(match[1]));
      }
    });
    // Werkzeug logs every request on stderr: keep reading it, remember only the tail.
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'ENOENT' ? `${python} not found` : error.message;
      fail(`cannot start the Authlib server: ${reason}; ${INSTALL_HINT}`);
    });
    child.once('exit', (code, signal) => {
      const missing = /ModuleNotFoundError|No module named/.test(stderr)
        ? ` (${INSTALL_HINT})`
        : '';
      fail(`the Authlib server exited (${signal ?? code}) before listening${missing}:\n${stderr}`);
    });
  });
}
