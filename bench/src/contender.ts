/** What every library in the benchmark is reduced to: a client that makes authenticated GETs. */

/** Where a contender's client gets its tokens and sends its requests; loopback only. */
export interface ClientSetup {
  /** The token endpoint (client credentials grant). */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** The protected API, e.g. `http://127.0.0.1:1234`; `get()` paths are relative to it. */
  apiUrl: string;
  /** A Redis shared by the processes of the fleet scenario. Libraries without a shared cache ignore it. */
  redisUrl?: string;
}

/** A ready client of one library, used the way its documentation shows. */
export interface AuthClient {
  /**
   * GETs `path` on the API with credentials and reads the body to the end.
   *
   * @returns The final status; it rejects where the library throws.
   */
  get(path: string): Promise<number>;
  /** Frees timers and connections. */
  close(): Promise<void>;
}

/** One library under test. */
export interface Contender {
  /** A short id, for `--only` and for the fleet's worker processes. */
  id: string;
  /** The npm package the column is named after. */
  packageName: string;
  /** How the client is built: the pattern from the library's documentation. */
  usage: string;
  /** Builds a client. */
  create(setup: ClientSetup): Promise<AuthClient>;
}

/** Reads a response body to the end and returns the status. */
export async function drain(response: Response): Promise<number> {
  await response.arrayBuffer();
  return response.status;
}
