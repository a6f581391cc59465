import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER_SCRIPT = fileURLToPath(new URL('./server.py', import.meta.url));
const INSTALL_HINT = 'install python3-authlib python3-flask (Debian)';

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
  /** Stops the server (SIGTERM) and removes its configuration. */
  close: () => Promise<void>;
}

/** Debian's interpreter, which sees `python3-authlib`, unless `AUTHLIB_PYTHON` names another. */
function pythonExecutable(): string {
  const configured = process.env.AUTHLIB_PYTHON;
  if (configured) return configured;
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

/**
 * Starts Authlib's Flask authorization server (`server.py`) on a free 127.0.0.1 port with
 * the given clients and users, and waits until it listens.
 *
 * @param options - Clients, users and lifetimes.
 * @returns The running server.
 * @throws {Error} Python, Authlib or Flask is missing (the message says what to install), or
 *   the server exited before listening (the message carries its stderr).
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
    port = await listeningPort(child, python);
  } catch (error) {
    child.kill('SIGKILL');
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
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves with the port from the server's `PORT <n>` line; rejects if it exits first. */
function listeningPort(child: ChildProcess, python: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /^PORT (\d+)$/m.exec(stdout);
      if (match) resolve(Number(match[1]));
    });
    // Werkzeug logs every request on stderr: keep reading it, remember only the tail.
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'ENOENT' ? `${python} not found` : error.message;
      reject(new Error(`cannot start the Authlib server: ${reason}; ${INSTALL_HINT}`));
    });
    child.once('exit', (code, signal) => {
      const missing = /ModuleNotFoundError|No module named/.test(stderr)
        ? ` (${INSTALL_HINT}; AUTHLIB_PYTHON picks the interpreter)`
        : '';
      reject(
        new Error(
          `the Authlib server exited (${signal ?? code}) before listening${missing}:\n${stderr}`,
        ),
      );
    });
  });
}
