/** What the coordinator tells a worker before it starts (over the IPC channel, so the secret never shows in `ps`). */
export interface WorkerSetup {
  type: 'setup';
  /** 1-based worker number, for the report. */
  worker: number;
  redisUrl: string;
  /** Redis key prefix of this run, so runs sharing a `REDIS_URL` never share tokens. */
  keyPrefix: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  apiUrl: string;
  requests: number;
  durationMs: number;
  refreshAheadMs: number;
  expirySkewMs: number;
}

/** The coordinator's signal that every worker is ready: start now. */
export interface WorkerGo {
  type: 'go';
}

/** A worker connected to Redis and is waiting for {@link WorkerGo}. */
export interface WorkerReady {
  type: 'ready';
  worker: number;
}

/** What one worker did. */
export interface WorkerReport {
  type: 'done';
  worker: number;
  /** Requests answered 2xx. */
  served: number;
  /** Requests answered otherwise, or that threw. */
  failures: number;
  /** Up to five failure descriptions (status or error message; never a token). */
  failureSamples: string[];
  /** Token manager events of this worker: how it got its tokens. */
  tokenEvents: { fetched: number; refreshed: number; adopted: number; storeErrors: number };
}

/** Any message from the coordinator. */
export type CoordinatorMessage = WorkerSetup | WorkerGo;
/** Any message from a worker. */
export type WorkerMessage = WorkerReady | WorkerReport;
